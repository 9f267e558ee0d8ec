"""Progress of `papers backfill`, day by day: a rich progress bar on a terminal (papers_cli.progress_bar),
plain `key=value` lines otherwise.

Every figure is counted from what the runs did (see papers_cli.backfill_watch): a day is *fetched*
when a run landed it in the raw store, *failed* when a run recorded its failure (or its whole run
failed), *loaded* when the run that loaded it succeeded. Rate and ETA count days done (fetched or
failed): fetching is the part of a backfill that grows with the number of days.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from rich.console import Console

from papers_cli.backfill_watch import RangeWatch, papers_per_day
from pipeline.date_ranges import days_between
from warehouse.paths import DuckLakeLocation


class DayTally:
    """Which days were fetched, loaded and failed, the papers they held, and the pace so far.

    Written by the watching thread and the main thread, read by the bar's refresh thread.
    """

    def __init__(self, days: list[date], clock: Callable[[], float] = time.monotonic):
        self.days = sorted(days)
        self.total = len(days)
        self.clock = clock
        self.started = clock()
        self.fetched: dict[date, int] = {}  # day -> records landed
        self.loaded: dict[date, int] = {}  # day -> papers in the published warehouse
        self.failed: dict[date, str] = {}  # day -> reason
        self._lock = threading.RLock()

    def record(self, outcome: str, day: date, value: int | str) -> None:
        """Note a day's outcome: "fetched" (records), "loaded" (papers) or "failed" (reason)."""
        with self._lock:
            getattr(self, outcome)[day] = value

    @property
    def done(self) -> int:
        with self._lock:
            return len(self.fetched.keys() | self.failed.keys() | self.loaded.keys())

    def rate(self) -> float:
        """Days done per second since the backfill started."""
        return self.done / max(self.clock() - self.started, 1e-6)

    def eta_seconds(self) -> float | None:
        """Seconds until every day is fetched or failed at the pace so far; None before the first day."""
        rate = self.rate()
        return (self.total - self.done) / rate if rate > 0 else None

    def fields(self) -> dict[str, object]:
        """The running figures, as plain-line fields."""
        with self._lock:
            eta = self.eta_seconds()
            return {
                "fetched": len(self.fetched),
                "loaded": len(self.loaded),
                "failed": len(self.failed),
                "days": self.total,
                "papers_fetched": sum(self.fetched.values()),
                "papers_loaded": sum(self.loaded.values()),
                "days_per_s": f"{self.rate():.2f}",
                "eta_s": "unknown" if eta is None else round(eta),
            }


class BackfillProgress:
    """Receives a backfill's range callbacks, watches each run's days, and shows every day's outcome."""

    def __init__(
        self,
        console: Console,
        days: list[date],
        raw_dir: Path,
        published: Path | DuckLakeLocation,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.console = console
        self.tally = DayTally(days, clock)
        self._raw_dir = raw_dir
        self._published = published
        self._lock = threading.Lock()
        self._watch: RangeWatch | None = None
        self._owned_file = None  # the copied descriptor for_console opened, closed on exit

    @staticmethod
    def for_console(console: Console, days: list[date], raw_dir: Path, published: Path | DuckLakeLocation) -> BackfillProgress:
        """A live bar when the console is a terminal, plain lines when it is a file or a pipe.

        Either writes to a copy of the console's file descriptor: while a step runs, Dagster points
        fds 1 and 2 at its compute-log file and copies that file back with `tail` about once a
        second, so output through fd 2 would lag and the bar would not be on a terminal.
        """
        own, stream = _console_beside_dagster(console)
        if own.is_terminal and not own.is_dumb_terminal:
            from papers_cli.progress_bar import TerminalProgress

            progress: BackfillProgress = TerminalProgress(own, days, raw_dir, published)
        else:
            progress = PlainProgress(own, days, raw_dir, published)
        progress._owned_file = stream
        return progress

    def __enter__(self) -> BackfillProgress:
        return self

    def __exit__(self, *exc) -> None:
        if self._watch is not None:
            self._watch.stop()
            self._watch = None
        self._finish()
        if self._owned_file is not None:
            self._owned_file.close()

    def _finish(self) -> None:
        pass

    def range_started(self, first: date, last: date, run_id: str, backfill: str | None = None) -> None:
        """Start watching the days of the run `run_id` that are not done yet, and the backfill's
        later days, which the backfill's lander may land meanwhile (pipeline/lander.py)."""
        later = [d for d in self.tally.days if d > last]
        days = [d for d in [*days_between(first, last), *later] if d not in self.tally.fetched and d not in self.tally.failed]
        self._watch = RangeWatch(self._raw_dir, days, run_id, self.day_fetched, self.day_failed, backfill).start()

    def range_done(self, first: date, last: date, failed: dict[date, str]) -> None:
        """Settle the range: the days the backfill counts as failed in it (none when the run
        succeeded, then every day loaded); a failure the watch has not seen yet is shown now."""
        if self._watch is not None:
            self._watch.stop()
            self._watch = None
        if not failed:
            for day, papers in papers_per_day(self._published, days_between(first, last)).items():
                self.day_loaded(day, papers)
        for day, reason in sorted(failed.items()):
            if day not in self.tally.failed:
                self.day_failed(day, reason)
        self._range_line(first, last, not failed)

    def day_fetched(self, day: date, records: int) -> None:
        with self._lock:
            self.tally.record("fetched", day, records)
            self._show(day, "fetched", records)

    def day_loaded(self, day: date, papers: int) -> None:
        with self._lock:
            self.tally.record("loaded", day, papers)
            self._show(day, "loaded", papers)

    def day_failed(self, day: date, reason: str) -> None:
        with self._lock:
            self.tally.record("failed", day, reason)
            self._show(day, "failed", None, reason)

    def warning(self, message: str) -> None:
        """Show a warning a run logged (its full text is also in the Dagster UI's event log)."""
        with self._lock:
            self._warn(" ".join(message.split()))

    def _show(self, day: date, event: str, papers: int | None, reason: str | None = None) -> None:
        raise NotImplementedError

    def _warn(self, message: str) -> None:
        raise NotImplementedError

    def _range_line(self, first: date, last: date, success: bool) -> None:
        pass


def _console_beside_dagster(console: Console):
    try:
        fd = console.file.fileno()
    except (AttributeError, OSError, ValueError):
        return console, None  # not a real file (a test's StringIO): nothing redirects it
    stream = os.fdopen(os.dup(fd), "w", buffering=1, encoding="utf-8", errors="replace")
    return Console(file=stream, soft_wrap=True), stream


class PlainProgress(BackfillProgress):
    """One line per day and event, `key=value` pairs, no colour or cursor codes."""

    def _show(self, day, event, papers, reason=None) -> None:
        self.console.out(plain_line(day, event, papers, self.tally, reason), highlight=False)

    def _warn(self, message) -> None:
        self.console.out(f"warning={json.dumps(message)}", highlight=False)


def plain_line(day: date, event: str, papers: int | None, tally: DayTally, reason: str | None = None) -> str:
    """`day=2025-03-03 event=fetched papers=12 fetched=1 loaded=0 failed=0 days=5 ...`; a reason
    comes last, JSON-quoted (so it holds no control character or line break)."""
    fields = {"day": day.isoformat(), "event": event, **({"papers": papers} if papers is not None else {}), **tally.fields()}
    if reason is not None:
        fields["reason"] = json.dumps(" ".join(reason.split()))
    return " ".join(f"{key}={value}" for key, value in fields.items())
