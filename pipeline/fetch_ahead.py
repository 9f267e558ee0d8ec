"""Fetching a run's days on a background thread while the caller loads the days already landed.

A run's step fetched every day, then read, transformed and loaded them: the DuckDB and Polars
work waited for the last fetch, and the fetches (Python, one core) waited for nothing. Here
`fetch_and_land` runs on its own thread and hands each day over as it lands; the caller takes
them in order (`landed()`) and loads them meanwhile. What the caller's logger sees stays on the
caller's thread: the fetch's log lines are queued and written as the caller takes the next day,
in the order they were logged. An error of the fetch (a full disk while landing) is raised in the
caller when it reaches it, after the days landed before it.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from landing.raw_store import RawFetch
from pipeline.fetch_days import FetchOutcome

# How long a caller that stops early (an error, Ctrl-C) waits for the fetch thread to end. Once
# stopped it fetches no further day, but a request in flight (a slow body, a retry's pause) runs
# to its end: the thread, a daemon, is not waited for longer, so Ctrl-C still stops at once.
STOP_WAIT_S = 1.0
# How often a caller waiting for the next day wakes up, so that Ctrl-C is handled at once.
POLL_S = 0.2

OnLanded = Callable[[date, RawFetch], None]
# fetch(on_landed, log, stop) -> FetchOutcome: fetch_and_land with everything else bound.
Fetch = Callable[[OnLanded, "QueuedLog", threading.Event], FetchOutcome]


class QueuedLog:
    """A logger for the fetch thread: each line waits in the queue for the caller's logger."""

    def __init__(self, lines: queue.Queue) -> None:
        self._lines = lines

    def info(self, message: str) -> None:
        self._lines.put(("log", ("info", message)))

    def warning(self, message: str) -> None:
        self._lines.put(("log", ("warning", message)))

    def error(self, message: str) -> None:
        self._lines.put(("log", ("error", message)))


class FetchAhead:
    """`fetch` running on a background thread from `with` on; `landed()` yields what it lands.

    `outcome` is the fetch's own result (every day landed or failed) once `landed()` is exhausted.
    """

    def __init__(self, fetch: Fetch, log) -> None:
        self._fetch = fetch
        self._log = log
        self._events: queue.Queue = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fetch-ahead", daemon=True)
        self.outcome: FetchOutcome | None = None

    def __enter__(self) -> FetchAhead:
        self._thread.start()
        return self

    def __exit__(self, error_type, error, traceback) -> None:
        self._stop.set()
        # Normally the fetch has ended; after an error the thread stops at its next day.
        self._thread.join(None if error_type is None else STOP_WAIT_S)

    def _run(self) -> None:
        try:
            outcome = self._fetch(self._on_landed, QueuedLog(self._events), self._stop)
        except BaseException as error:  # noqa: BLE001 - handed to the caller, who raises it
            self._events.put(("error", error))
        else:
            self._events.put(("done", outcome))

    def _on_landed(self, day: date, fetch: RawFetch) -> None:
        self._events.put(("landed", (day, fetch)))

    def landed(self) -> Iterator[tuple[date, RawFetch]]:
        """Each day as it lands, in the fetch's order; raises the fetch's error if it failed."""
        while self.outcome is None:
            kind, value = self._next()
            if kind == "landed":
                yield value
            elif kind == "log":
                level, message = value
                getattr(self._log, level)(message)
            elif kind == "error":
                raise value
            else:
                self.outcome = value

    def _next(self) -> tuple[str, Any]:
        while True:
            try:
                return self._events.get(timeout=POLL_S)
            except queue.Empty:
                continue
