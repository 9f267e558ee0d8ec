"""The fetch step of a backfill alone: every recorded day of DAYS_DIR fetched from the local
stand-in HF server and landed in a fresh raw store by `pipeline.fetch_days.fetch_and_land`, in
ranges of a run's length, as the `daily_papers` step does. Prints wall and CPU seconds per round
and their medians; the landing's fsyncs are wall, not CPU.

    .venv/bin/python -m bench.measure_fetch_landing DAYS_DIR [--rounds 3] [--work DIR]

Run it from two trees (the same venv) to compare their landing.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.json_output import print_result
from hf_api.client import HFClient
from hf_api.sample_replay import recorded_dates
from hf_api.testing.fake_server import FakeHFServer
from orchestration.partitions import MAX_PARTITIONS_PER_RUN
from pipeline.fetch_days import fetch_and_land

QUIET = logging.getLogger("bench.fetch_landing")


def one_round(days_dir: Path, raw_dir: Path) -> dict:
    """Fetch and land every day of `days_dir` into `raw_dir`, a run's range at a time."""
    days = recorded_dates(days_dir)
    ranges = [days[i : i + MAX_PARTITIONS_PER_RUN] for i in range(0, len(days), MAX_PARTITIONS_PER_RUN)]
    with FakeHFServer(days_dir) as server, HFClient(server.base_url, requests_per_second=0) as client:
        cpu, wall = time.process_time(), time.perf_counter()
        landed = 0
        for index, run_days in enumerate(ranges):
            landed += len(fetch_and_land(client, raw_dir, run_days, f"bench-{index}", None, QUIET).landed)
        return {"days": landed, "cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall}


def main() -> None:
    """Time `--rounds` rounds, each into a fresh raw store."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("days_dir", type=Path, help="recorded days (e.g. the benchmark's work dir/days_1x)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, help="where the raw stores go (default: a temporary folder)")
    args = parser.parse_args()
    rounds = []
    for _ in range(args.rounds):
        raw_dir = Path(tempfile.mkdtemp(prefix="fetch-landing-", dir=args.work))
        try:
            rounds.append(one_round(args.days_dir, raw_dir))
        finally:
            shutil.rmtree(raw_dir, ignore_errors=True)
    print_result(
        {
            "rounds": rounds,
            "median_wall_s": statistics.median(r["wall_s"] for r in rounds),
            "median_cpu_s": statistics.median(r["cpu_s"] for r in rounds),
        }
    )


if __name__ == "__main__":
    main()
