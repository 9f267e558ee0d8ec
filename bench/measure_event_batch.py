"""The Dagster events of one load run, alone: a ranged run of 9 assets and 8 checks over a quarter
(92 daily partitions), the shape of `daily_papers` in a year's `papers backfill`, on the shipped
instance (orchestration/event_log_storage.py, batched events). Prints CPU and wall seconds of
each run and their medians; the step itself does nothing, so what is timed is Dagster's run
creation (planned events) and its per-partition materializations and check results.

    .venv/bin/python -m bench.measure_event_batch [--runs 3]

Run it from two trees (the same venv) to compare their event logs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import dagster as dg

from bench.json_output import print_result

QUARTER = dg.DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-04-03")
NAMES = ["raw", "papers", "authors", "paper_authors", "votes", "quarantined", "organizations", "submitters", "published"]
CHECKS = [dg.AssetCheckSpec(f"check_{i}", asset=name) for i, name in enumerate(NAMES[1:])]
SILENT = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


@dg.multi_asset(
    specs=[dg.AssetSpec(name, partitions_def=QUARTER) for name in NAMES],
    check_specs=CHECKS,
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def quarter(context):
    """Reports every asset with a little metadata and every check passed, as daily_papers does."""
    for name in NAMES:
        yield dg.MaterializeResult(asset_key=name, metadata={"rows": 1000, "days": len(context.partition_keys)})
    for spec in CHECKS:
        yield dg.AssetCheckResult(asset_key=spec.asset_key, check_name=spec.name, passed=True)


def _one_run(home: Path) -> dict:
    with dg.DagsterInstance.get() as instance:
        cpu, wall = time.process_time(), time.perf_counter()
        result = dg.materialize(
            [quarter],
            instance=instance,
            run_config=SILENT,
            tags={"dagster/asset_partition_range_start": "2025-01-01", "dagster/asset_partition_range_end": "2025-04-02"},
        )
        assert result.success
        return {"cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall}


def main() -> None:
    """Time `--runs` runs, each into a fresh DAGSTER_HOME with the shipped dagster.yaml."""
    from orchestration.event_log_storage import EVENT_BATCH_SIZE
    from orchestration.runs.instance import SHIPPED_DAGSTER_YAML

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ["DAGSTER_EVENT_BATCH_SIZE"] = str(EVENT_BATCH_SIZE)
    runs = []
    for _ in range(args.runs):
        home = Path(tempfile.mkdtemp(prefix="event-batch-"))
        shutil.copyfile(SHIPPED_DAGSTER_YAML, home / "dagster.yaml")
        os.environ["DAGSTER_HOME"] = str(home)
        try:
            runs.append(_one_run(home))
        finally:
            shutil.rmtree(home, ignore_errors=True)
    print_result(
        {
            "runs": runs,
            "median_cpu_s": statistics.median(r["cpu_s"] for r in runs),
            "median_wall_s": statistics.median(r["wall_s"] for r in runs),
        }
    )


if __name__ == "__main__":
    main()
