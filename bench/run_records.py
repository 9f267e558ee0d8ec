"""Where a finished backfill's time went by Dagster's own records, in its own process (the
instance's storage reads DAGSTER_HOME, which the benchmark's process does not set).

    DAGSTER_HOME=... python -m bench.run_records [SINCE_EPOCH]

Prints one JSON line: runs, seconds inside runs, seconds per step key, and each run's job and
duration (start to end by the run's record, oldest first). With SINCE_EPOCH (seconds since the
epoch), only the runs created from then on: an instance that ran earlier commands has theirs too.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime


def created_epoch(created: datetime) -> float:
    """A run record's creation time in seconds since the epoch (storage keeps it naive, in UTC)."""
    return (created if created.tzinfo else created.replace(tzinfo=UTC)).timestamp()


def main(argv: list[str]) -> int:
    """Print the run and step seconds of every run in the instance (created since argv[0], if given)."""
    import dagster as dg

    since = float(argv[0]) if argv else float("-inf")
    with dg.DagsterInstance.get() as instance:
        records = [r for r in instance.get_run_records() if created_epoch(r.create_timestamp) >= since]
        durations: list[dict[str, str | float]] = [
            {"job": r.dagster_run.job_name, "status": r.dagster_run.status.value, "seconds": r.end_time - r.start_time}
            for r in sorted(records, key=lambda r: r.create_timestamp)
            if r.start_time and r.end_time
        ]
        runs_s = sum(float(run["seconds"]) for run in durations)
        steps: dict[str, float] = {}
        for record in records:
            for stat in instance.get_run_step_stats(record.dagster_run.run_id):
                if stat.start_time and stat.end_time:
                    steps[stat.step_key] = steps.get(stat.step_key, 0.0) + stat.end_time - stat.start_time
    print(json.dumps({"runs": len(records), "in_runs_s": runs_s, "step_seconds": steps, "run_seconds": durations}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
