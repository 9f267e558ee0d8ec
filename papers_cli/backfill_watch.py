"""What a running backfill did, day by day, read from where the run leaves it.

A run fetches its days one after the other inside one Dagster step, and reports them only when
the step ends. The raw store shows each day as it happens: a fetch landed by the run (tagged with
its run id, with its record count), or by the backfill's lander ahead of the run
(pipeline/lander.py: tagged with the backfill's id), or a failure the run recorded. The papers
a day holds once loaded come from the published warehouse.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb

from landing.raw_store import last_failure
from pipeline.fetch_days import landed_by
from warehouse import ducklake
from warehouse.paths import DuckLakeLocation

POLL_SECONDS = 0.3


class RangeWatch:
    """Watches the raw store, in a thread, for the days one run fetches.

    Calls `on_fetched(day, records)` when the run, or any run of the backfill `backfill`, lands a
    day and `on_failed(day, reason)` when the run records a day's failure, once per day, from the
    watching thread.
    """

    def __init__(
        self,
        raw_dir: Path,
        days: list[date],
        run_id: str,
        on_fetched: Callable[[date, int], None],
        on_failed: Callable[[date, str], None],
        backfill: str | None = None,
    ):
        self._raw_dir = raw_dir
        self._run_id = run_id
        self._backfill = backfill
        self._on_fetched = on_fetched
        self._on_failed = on_failed
        self._pending: dict[date, int | None] = {day: None for day in days}  # day -> its folder's last seen mtime
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="backfill-watch", daemon=True)
        self._lock = threading.Lock()

    def start(self) -> RangeWatch:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop watching, after a last look at every day still pending."""
        self._stop.set()
        self._thread.join()
        self.poll(force=True)

    def _watch(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self.poll()

    def poll(self, force: bool = False) -> None:
        """Report the pending days the run fetched or failed since the last look.

        A day's folder changes its mtime when a fetch is renamed into it or a failure recorded,
        so only changed folders are read.
        """
        with self._lock:
            for day, seen in list(self._pending.items()):
                folder = self._raw_dir / day.isoformat()
                try:
                    mtime = folder.stat().st_mtime_ns
                except FileNotFoundError:
                    continue
                if mtime == seen and not force:
                    continue
                try:
                    settled = self._settle(day)
                except (OSError, ValueError, KeyError):
                    continue  # a file being written or unreadable: the run itself reports it
                if settled:
                    del self._pending[day]
                else:
                    self._pending[day] = mtime

    def _settle(self, day: date) -> bool:
        fetch = landed_by(self._raw_dir, day, self._run_id, self._backfill)
        if fetch is not None:
            self._on_fetched(day, fetch.record_count)
            return True
        failure = last_failure(self._raw_dir, day)
        if failure is not None and failure.get("run_id") == self._run_id:
            self._on_failed(day, failure.get("message", "failed"))
            return True
        return False


def papers_per_day(published: Path | DuckLakeLocation, days: list[date]) -> dict[date, int]:
    """How many papers the published warehouse (the file, or the DuckLake warehouse) holds for
    each of `days` (0 for a day it has none)."""
    counts = dict.fromkeys(days, 0)
    if isinstance(published, DuckLakeLocation):
        try:
            con = ducklake.connect_reader(published)
        except ducklake.NoPublishedSnapshot:
            return counts
    elif not published.exists():
        return counts
    else:
        con = duckdb.connect(str(published), read_only=True)
    with con:
        rows = con.execute(
            "SELECT listing_date, count(*) FROM papers WHERE listing_date = ANY($days) GROUP BY 1",
            {"days": days},
        ).fetchall()
    counts.update(dict(rows))
    return counts
