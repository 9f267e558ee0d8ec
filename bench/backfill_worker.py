"""One Dagster backfill in its own process (so its time and peak RSS are its own).

    PAPERS_HOME=... DAGSTER_HOME=... HF_API_BASE_URL=http://127.0.0.1:PORT HF_REQUESTS_PER_SECOND=0 \
    python -m bench.backfill_worker --start D --end D [--per-partition]

Runs orchestration.runs.backfill.backfill exactly as `papers backfill` does (raw -> tables ->
published, execute_in_process per range of MAX_PARTITIONS_PER_RUN days, then one run that
rebuilds the search tables), or with one load run per day. Prints one JSON line: seconds
(imports excluded), load runs, seconds per step, days loaded/failed, peak RSS.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date

from bench.peak_memory import own_peak_rss_mb


def main(argv: list[str] | None = None) -> int:
    """Run the backfill and print its JSON result."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--start", type=date.fromisoformat, required=True)
    parser.add_argument("--end", type=date.fromisoformat, required=True)
    parser.add_argument("--per-partition", action="store_true", help="one run per day")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    import duckdb

    from orchestration.partitions import MAX_PARTITIONS_PER_RUN
    from orchestration.runs.backfill import backfill
    from orchestration.runs.instance import ensure_dagster_instance
    from papers_settings import Settings
    from pipeline.date_ranges import contiguous_ranges, days_between
    from warehouse.db import scalar

    import_s = time.perf_counter() - started
    days = days_between(args.start, args.end)
    size = 1 if args.per_partition else MAX_PARTITIONS_PER_RUN
    ranges = contiguous_ranges(days, size)
    settings = Settings.from_env()  # run_worker passes the product environment (product_env)
    with ensure_dagster_instance(settings) as instance:
        start = time.perf_counter()
        report = backfill(ranges, instance)
        seconds = time.perf_counter() - start
        steps: dict[str, float] = {}
        for run_id in [*report.runs, *([report.search_run] if report.search_run else [])]:
            for stat in instance.get_run_step_stats(run_id):
                if stat.start_time and stat.end_time:
                    steps[stat.step_key] = steps.get(stat.step_key, 0.0) + stat.end_time - stat.start_time
    con = duckdb.connect(str(settings.warehouse.published_path), read_only=True)
    papers = scalar(con, "SELECT count(*) FROM papers")
    con.close()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "import_s": import_s,
                "runs": len(report.runs),
                "days": len(days),
                "loaded": len(report.loaded),
                "failed": {str(k): v for k, v in report.failed.items()},
                "published_papers": papers,
                "step_seconds": steps,
                "peak_rss_mb": own_peak_rss_mb(),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
