"""Where a finished command's wall time went outside its steps, from the event timestamps Dagster
recorded, in its own process (the instance's storage reads DAGSTER_HOME):

    DAGSTER_HOME=... python -m bench.run_phases STARTED_EPOCH ENDED_EPOCH

`STARTED_EPOCH` and `ENDED_EPOCH` are when the command's process started and exited (seconds since
the epoch). Prints one JSON line: per run (in the order they were created) the seconds from the
previous run's end (or the process start) to its first event, from its first event (the planned
ones, written when the run is created) to its start, from its start to its first step, in its
steps, and from its last step to its end; then from the last run's end to the process's exit.
Only timestamps are read, no event is deserialised.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC

from bench.run_records import created_epoch

RUN_ENDS = {"PIPELINE_SUCCESS", "PIPELINE_FAILURE", "PIPELINE_CANCELED"}
STEP_ENDS = {"STEP_SUCCESS", "STEP_FAILURE"}


def run_phases(marks: list[tuple[str | None, float]], previous_end: float) -> dict:
    """The phases of one run from its events' `(event type, epoch seconds)` in storage order."""
    times = [ts for _, ts in marks]
    start = next((ts for kind, ts in marks if kind == "PIPELINE_START"), times[0])
    step_starts = [ts for kind, ts in marks if kind == "STEP_START"]
    step_ends = [ts for kind, ts in marks if kind in STEP_ENDS]
    end = next((ts for kind, ts in reversed(marks) if kind in RUN_ENDS), times[-1])
    first_step, last_step = (min(step_starts), max(step_ends)) if step_starts and step_ends else (start, start)
    return {
        "before_s": times[0] - previous_end,
        "created_to_start_s": start - times[0],
        "start_to_first_step_s": first_step - start,
        "steps_s": last_step - first_step,
        "last_step_to_end_s": end - last_step,
        "events": len(marks),
        "end": end,
    }


def main(argv: list[str]) -> int:
    """Print the phases of every run in the instance, between the command's start and exit."""
    import dagster as dg
    import sqlalchemy as db
    from dagster._core.storage.event_log import SqlEventLogStorageTable, SqliteEventLogStorage

    started, ended = float(argv[0]), float(argv[1])
    table = SqlEventLogStorageTable
    runs = []
    with dg.DagsterInstance.get() as instance:
        # Only this command's runs: an instance that ran earlier commands has theirs too.
        mine = [record for record in instance.get_run_records() if created_epoch(record.create_timestamp) >= started]
        records = sorted(mine, key=lambda record: record.create_timestamp)
        previous_end = started
        for record in records:
            run_id = record.dagster_run.run_id
            query = db.select(table.c.dagster_event_type, table.c.timestamp).order_by(table.c.id.asc())
            storage = instance.event_log_storage
            assert isinstance(storage, SqliteEventLogStorage)  # one file per run: the shipped dagster.yaml's
            with storage.run_connection(run_id) as conn:
                rows = conn.execute(query).fetchall()
            marks = [(kind, stamp.replace(tzinfo=UTC).timestamp()) for kind, stamp in rows]
            phases = run_phases(marks, previous_end)
            previous_end = phases.pop("end")
            runs.append({"job": record.dagster_run.job_name, **phases})
    first = runs[0]["before_s"] if runs else None
    print(json.dumps({"runs": runs, "before_first_run_s": first, "after_last_run_s": ended - previous_end}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
