"""Backfilling a date range from a terminal through the same Dagster assets the UI runs.

The range is cut into the same batches the backfill policy uses (one run per batch), made longer
when the days are small (`RUN_JSON_BYTES`), never shorter than the policy's: first from the size
of the range's first week as the lander lands it, before the first run starts (a 1x year then
loads in one run), then from every day loaded, after each run. When a
batch fails because some days could not be fetched, the rest of that batch is rerun without the
failed days: the days already fetched in this backfill are reused, not fetched again. The days
are fetched by a child process, the lander (pipeline/lander.py), while the runs load them. Once
every batch ran, the search tables are rebuilt once, as the UI's automation does after a backfill.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import dagster as dg
import sqlalchemy as db
from dagster._core.storage.event_log import SqlEventLogStorage, SqlEventLogStorageTable
from dagster._serdes import deserialize_value

from landing.raw_store import last_failure, list_fetches
from orchestration.definitions import defs
from orchestration.partitions import MAX_PARTITIONS_PER_RUN
from orchestration.resources import WarehouseResource
from orchestration.runs.writer_runs import execute_writer_job
from pipeline.date_ranges import contiguous_ranges, days_between
from pipeline.lander import POLL_S, Lander, landing, new_backfill_id

# The JSON a run may hold when its days are small: each run costs a Dagster run, a writer's open,
# checkpoint and publish, and the metadata and checks (~0.5-1 s at 1x), so a 1x year (~0.24-0.28 MB
# a day, ~86-102 MB) loads in one run. A run never gets fewer days than MAX_PARTITIONS_PER_RUN, and
# days of ~1.3 MB or more keep that length: a 10x year (~2.8 MB a day, 254 MB a quarter) runs in
# quarters as before, so no run holds more JSON than a 10x quarter's run, whose transaction sets
# the backfill's peak memory.
RUN_JSON_BYTES = 120_000_000
# The first days the lander lands, whose sizes plan a backfill's runs before the first one starts
# (a week: weekdays and a weekend). The first run waits for them only when the lander's rate limit
# lets it land them within SIZE_SAMPLE_MAX_WAIT_S: at the API's default 2 requests a second a week
# takes 3.5 s, and the runs are planned as without a lander (then again after the first run); with
# no limit (the local stand-in, the tests) the lander lands a week ~0.3 s after its start here,
# and the first run waits for it while the lander runs, at most SIZE_SAMPLE_TIMEOUT_S.
SIZE_SAMPLE_DAYS = 7
SIZE_SAMPLE_MAX_WAIT_S = 1.0
SIZE_SAMPLE_TIMEOUT_S = 10.0

# The terminal shows one line per range; the full event log is in the Dagster UI.
QUIET_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
# A backfill's terminal shows each failed day, each range and the run's warnings itself
# (`run_warnings`), so Dagster's own console lines (errors with stack traces) would only repeat them.
SILENT_RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


@dataclass
class BackfillReport:
    """Which days loaded and which failed, with the reason for each failure."""

    backfill_id: str
    loaded: list[date] = field(default_factory=list)
    failed: dict[date, str] = field(default_factory=dict)
    runs: list[str] = field(default_factory=list)  # the load runs
    search_run: str | None = None  # the run that rebuilt the search tables
    search_failure: str | None = None

    @property
    def ok(self) -> bool:
        return not self.failed and self.search_failure is None


def run_range(
    start: date, end: date, instance: dg.DagsterInstance, backfill_id: str, run_id: str | None = None
) -> tuple[bool, str, str]:
    """Materialize raw -> tables -> published for one contiguous range, in one run."""
    job = defs.resolve_job_def("daily_papers_job")
    result = execute_writer_job(
        job,
        instance,
        run_id=run_id,
        run_config=SILENT_RUN_CONFIG,
        tags={
            "dagster/asset_partition_range_start": start.isoformat(),
            "dagster/asset_partition_range_end": end.isoformat(),
            "papers/backfill": backfill_id,
        },
    )
    return result.success, result.run_id, _failure_summary(result)


def rebuild_search_tables(instance: dg.DagsterInstance) -> tuple[bool, str, str]:
    """Rebuild and publish the search tables, in one run."""
    result = execute_writer_job(defs.resolve_job_def("search_tables_job"), instance, run_config=SILENT_RUN_CONFIG)
    return result.success, result.run_id, _failure_summary(result)


def run_warnings(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """The warnings the run's code logged (e.g. an older unreadable fetch skipped), in order."""
    storage = instance.event_log_storage
    entries = _log_messages(storage, run_id) if isinstance(storage, SqlEventLogStorage) else instance.all_logs(run_id)
    return [entry.user_message for entry in entries if entry.dagster_event is None and entry.level == logging.WARNING]


def _log_messages(storage: SqlEventLogStorage, run_id: str) -> list[dg.EventLogEntry]:
    """The run's log messages (entries that are not Dagster events), in order.

    Reading them by `all_logs` deserialised every event of the run (~1,300 in a quarter's run)
    to keep a handful: ~2 s of a year's backfill. A log message is stored without event type.
    """
    table = SqlEventLogStorageTable
    query = (
        db.select(table.c.event).where(table.c.run_id == run_id, table.c.dagster_event_type.is_(None)).order_by(table.c.id.asc())
    )
    with storage.run_connection(run_id) as conn:
        rows = conn.execute(query).fetchall()
    return [deserialize_value(row[0], dg.EventLogEntry) for row in rows]


def _failure_summary(result) -> str:
    """The first failed step and the error that caused it, in one line."""
    for event in result.all_events:
        if event.is_step_failure:
            return f"step {event.step_key} failed: {_error_line(event.step_failure_data.error)} (run {result.run_id})"
    return f"run {result.run_id} failed; see the Dagster UI"


def _error_line(error) -> str:
    """The exception an asset raised (not Dagster's "Error occurred while executing op" wrapper),
    and the root cause it was raised from, if any, in one line."""
    if error is None:
        return "unknown error"
    while error.cls_name.startswith("Dagster") and error.cause is not None:
        error = error.cause
    line = error.message.strip().splitlines()[0]
    root = error
    while root.cause is not None:
        root = root.cause
    if root is not error:
        line += f" (caused by {root.message.strip().splitlines()[0]})"
    return line


def backfill(
    ranges: list[tuple[date, date]],
    instance: dg.DagsterInstance,
    on_range_done: Callable[[date, date, dict[date, str]], None] = lambda *_: None,
    on_range_start: Callable[[date, date, str, str], None] = lambda *_: None,
    on_warning: Callable[[str], None] = lambda _: None,
    lander: Lander | None = None,
) -> BackfillReport:
    """Run every range; split around days that failed so the other days still load.

    The days are landed by `lander` when the caller started one for them (pipeline/lander.py:
    the backfill then has its id), else by one started here; it is stopped after the last run.

    `on_range_start(first, last, run_id, backfill_id)` is called before each run, with the id it
    will have and the backfill's;
    `on_range_done(first, last, failed)` after it, with the days of the range it failed and why,
    after `on_warning(message)` for each warning the run logged.
    """
    report = BackfillReport(backfill_id=lander.backfill if lander else new_backfill_id())
    raw_dir = _warehouse().raw_dir
    pending = list(ranges)
    days = [day for first, last in ranges for day in days_between(first, last)]
    with lander or landing(raw_dir, days, report.backfill_id, on_warning) as landing_now:
        if landing_now is not None and len(pending) > 1:
            pending = _widened(pending, _first_week_bytes_per_day(raw_dir, days[:SIZE_SAMPLE_DAYS], landing_now))
        while pending:
            first, last = pending.pop(0)
            run_id = str(uuid.uuid4())
            on_range_start(first, last, run_id, report.backfill_id)
            success, run_id, failure = run_range(first, last, instance, report.backfill_id, run_id)
            report.runs.append(run_id)
            for warning in run_warnings(instance, run_id):
                on_warning(warning)
            days = days_between(first, last)
            if success:
                on_range_done(first, last, {})
                report.loaded.extend(days)
                pending = _widened(pending, _json_bytes_per_day(raw_dir, report.loaded))
                continue
            newly_failed = {d: _reason(raw_dir, d, run_id) for d in days if _failed_in(raw_dir, d, run_id)}
            # A failed run that recorded no failed day (a load or publish error) fails every day it had.
            failed = newly_failed or {d: failure for d in days}
            on_range_done(first, last, failed)
            report.failed.update(failed)
            if newly_failed:
                pending[:0] = _split_around(days, set(newly_failed))
    report.loaded.sort()
    if report.loaded:
        success, report.search_run, failure = rebuild_search_tables(instance)
        report.search_failure = None if success else failure
    return report


def _warehouse() -> WarehouseResource:
    assert defs.resources is not None  # definitions.py gives the Definitions their resources
    return defs.resources["warehouse"]


def _failed_in(raw_dir, day: date, run_id: str) -> bool:
    failure = last_failure(raw_dir, day)
    return failure is not None and failure.get("run_id") == run_id


def _reason(raw_dir, day: date, run_id: str) -> str:
    failure = last_failure(raw_dir, day) or {}
    return failure.get("message", f"run {run_id} failed")


def _first_week_bytes_per_day(raw_dir: Path, sample: list[date], lander: Lander) -> float | None:
    """The mean size of the days of `sample` once the lander has landed them all; None when its
    rate limit would not land them within SIZE_SAMPLE_MAX_WAIT_S, or it has not within
    SIZE_SAMPLE_TIMEOUT_S (or has ended first)."""
    rate = lander.requests_per_second
    if rate and len(sample) / rate > SIZE_SAMPLE_MAX_WAIT_S:
        return None
    deadline = time.monotonic() + SIZE_SAMPLE_TIMEOUT_S
    while not all(list_fetches(raw_dir, day) for day in sample):
        if not lander.running() or time.monotonic() > deadline:
            return None
        time.sleep(POLL_S)
    return _json_bytes_per_day(raw_dir, sample)


def _json_bytes_per_day(raw_dir, days: list[date]) -> float | None:
    """The mean size of the newest landed fetch of `days` (those with one), or None."""
    sizes = [found[-1].size_bytes for found in (list_fetches(raw_dir, day) for day in days) if found]
    return sum(sizes) / len(sizes) if sizes else None


def _widened(pending: list[tuple[date, date]], bytes_per_day: float | None) -> list[tuple[date, date]]:
    """`pending` cut again into ranges of at most RUN_JSON_BYTES of days of `bytes_per_day` each,
    but never of fewer than MAX_PARTITIONS_PER_RUN days (only consecutive days share a range)."""
    if not pending or not bytes_per_day:
        return pending
    max_days = max(MAX_PARTITIONS_PER_RUN, int(RUN_JSON_BYTES // bytes_per_day))
    return contiguous_ranges([day for first, last in pending for day in days_between(first, last)], max_days)


def _split_around(days: list[date], failed: set[date]) -> list[tuple[date, date]]:
    return contiguous_ranges([d for d in days if d not in failed], MAX_PARTITIONS_PER_RUN)
