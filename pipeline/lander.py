"""A `papers backfill`'s days fetched and landed by a child process, the lander.

The runs of a backfill run one after another in the command's process, and each run's fetch
threads shared the interpreter lock with its load: in a traced year, the first run's chunks took
twice as long to transform and load as the second run's, whose days were already on disk
(docs/benchmark.md, "A backfill's days landed by a child process"). The lander is `fetch_and_land` of every day of the
backfill, in order, in a process of its own, started before the first run (by `papers backfill`
before its Dagster instance is made: the first week it lands sizes the runs,
orchestration/runs/backfill.py): the runs take their days from the raw store as it lands them
instead of fetching.

- One client fetches at a time: while the lander lives, the runs fetch nothing. A day it cannot
  fetch (after the client's retries) it records as failed under its own id (`lander_id`), and the
  run that owns the day reports that failure as its own; it is not fetched again.
- When the lander has ended (or died), a run fetches whatever of its days is not landed itself;
  where it cannot be started at all, every run fetches its own days.
- The lander stops when its standard input closes: `Lander.stop()`, or the command's death, even
  by SIGKILL; it exits within EXIT_GRACE_S, its fetches in flight abandoned. Its landings are
  atomic (staging folder, then rename), so a stop loses nothing.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from hf_api.client import HFClient
from landing.raw_store import RawFetch, last_failure, record_failure
from papers_settings import Settings
from pipeline.date_ranges import days_as_text, days_from_text
from pipeline.fetch_days import FetchOutcome, fetch_and_land, landed_by

# How often a run looks at the raw store for its next day while the lander fetches it.
POLL_S = 0.02
# Once stopped, how long the lander lets the landings in flight finish before it exits.
EXIT_GRACE_S = 1.0
# How long stop() waits for the lander to exit before killing it.
STOP_WAIT_S = 5.0

_running: dict[str, Lander] = {}  # backfill id -> its lander, in the process that started it


def new_backfill_id() -> str:
    """The id of a backfill started from a terminal (`papers backfill`, `papers up`): its runs'
    `papers/backfill` tag and its lander's landings carry it."""
    return f"cli-{uuid.uuid4().hex[:12]}"


def lander_id(backfill: str) -> str:
    """The id the lander's landings and failures carry as their run id."""
    return f"{backfill}/lander"


class Lander:
    """The parent's handle on a lander process (module docstring)."""

    def __init__(
        self,
        process: subprocess.Popen,
        backfill: str,
        on_message: Callable[[str], None] | None = None,
        requests_per_second: float | None = None,
    ):
        self._process = process
        self.backfill = backfill
        self.id = lander_id(backfill)
        self.requests_per_second = requests_per_second  # its client's limit (None or 0: none)
        self._relay: threading.Thread | None = None
        if process.stderr is not None:
            self._relay = threading.Thread(target=_relay, args=(process.stderr, on_message), name="lander-messages", daemon=True)
            self._relay.start()

    @classmethod
    def start(cls, raw_dir: Path, days: list[date], backfill: str, on_message: Callable[[str], None] | None = None) -> Lander:
        """Start landing `days` (in order) for the backfill `backfill`; registered for the runs
        (`lander_for`) until stopped. The child reads the HF settings from the environment, as the
        command did. Each line it writes to stderr (the client's retry warnings, a crash's
        traceback) is handed to `on_message` (the command shows it with its progress)."""
        process = subprocess.Popen(
            [sys.executable, "-m", "pipeline.lander", str(raw_dir), backfill, days_as_text(days)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            # Not the terminal: a line written there would land inside the progress bar's frame.
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
        )
        lander = cls(process, backfill, on_message, Settings.from_env().hf_requests_per_second)
        _running[backfill] = lander
        return lander

    def running(self) -> bool:
        return self._process.poll() is None

    def exit_code(self) -> int | None:
        return self._process.poll()

    def stop(self) -> None:
        """Close the lander's input: it lands what it has fetched and exits (killed after
        STOP_WAIT_S). No longer registered."""
        _running.pop(self.backfill, None)
        if self._process.stdin is not None and not self._process.stdin.closed:
            self._process.stdin.close()
        try:
            self._process.wait(STOP_WAIT_S)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._relay is not None:
            self._relay.join(STOP_WAIT_S)

    def __enter__(self) -> Lander:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


@contextmanager
def landing(
    raw_dir: Path, days: list[date], backfill: str, on_message: Callable[[str], None] | None = None
) -> Iterator[Lander | None]:
    """A lander for the backfill `backfill` (Lander.start), stopped on leaving; None when it
    cannot be started, and then each run fetches its own days."""
    try:
        lander = Lander.start(raw_dir, days, backfill, on_message)
    except OSError:
        yield None
        return
    with lander:
        yield lander


def lander_for(backfill: str | None) -> Lander | None:
    """The lander this process runs for the backfill `backfill`, if any."""
    return _running.get(backfill) if backfill else None


def take_landed(
    lander: Lander,
    client: HFClient,
    raw_dir: Path,
    days: list[date],
    run_id: str,
    log,
    on_landed: Callable[[date, RawFetch], None] | None = None,
    stop: threading.Event | None = None,
) -> FetchOutcome:
    """fetch_and_land for a run whose days the lander fetches: each day is reported, in order,
    once the lander has landed it (or failed it: then recorded as this run's failure); the days
    still missing when the lander has ended are fetched by the run itself."""
    outcome = FetchOutcome()
    pending = list(days)
    while pending and not (stop is not None and stop.is_set()):
        day = pending[0]
        ended = not lander.running()  # before looking: an ended lander landed its last days first
        fetch = landed_by(raw_dir, day, run_id, lander.backfill)
        reason = _lander_failure(raw_dir, day, lander)
        if fetch is not None:
            log.info(f"{day}: {fetch.record_count} records landed ahead ({fetch.tags.get('run_id')})")
            outcome.landed[day] = fetch
            if on_landed is not None:
                on_landed(day, fetch)
        elif reason is not None:
            log.error(f"{day}: {reason}")
            record_failure(raw_dir, day, reason, run_id)
            outcome.failures[day] = reason
        elif ended:
            log.info(f"the lander has ended (exit code {lander.exit_code()}): this run fetches its {len(pending)} day(s) left")
            rest = fetch_and_land(client, raw_dir, pending, run_id, lander.backfill, log, on_landed, stop)
            outcome.landed.update(rest.landed)
            outcome.failures.update(rest.failures)
            break
        else:
            time.sleep(POLL_S)
            continue
        pending.pop(0)
    return outcome


def _lander_failure(raw_dir: Path, day: date, lander: Lander) -> str | None:
    """Why the lander could not fetch `day`, if that is the day's last recorded failure."""
    failure = last_failure(raw_dir, day)
    if failure is None or failure.get("run_id") != lander.id:
        return None
    return failure.get("message") or "the lander could not fetch it"


def _relay(stream, on_message: Callable[[str], None] | None) -> None:
    for line in stream:
        if line.strip() and on_message is not None:
            on_message(line.rstrip("\n"))


def main(argv: list[str]) -> int:
    """`python -m pipeline.lander RAW_DIR BACKFILL FIRST..LAST[,FIRST..LAST...]`"""
    from hf_api.config import client_from_settings

    raw_dir, backfill, ranges = Path(argv[0]), argv[1], argv[2]
    stop = threading.Event()

    def stop_when_input_closes() -> None:
        sys.stdin.buffer.read()  # returns at EOF: the parent closed it, or died
        stop.set()
        # A fetch in flight (a slow or hanging answer) holds fetch_and_land until its deadline;
        # leave without it: a landing is a rename, and a staging folder left is cleaned later.
        time.sleep(EXIT_GRACE_S)
        os._exit(0)

    threading.Thread(target=stop_when_input_closes, name="lander-stdin", daemon=True).start()
    # Quiet: the run that owns a day reports its failure (take_landed); the client's own retry
    # warnings still reach stderr (logging's last-resort handler), which the parent relays.
    quiet = logging.getLogger(__name__)
    quiet.propagate = False
    quiet.addHandler(logging.NullHandler())
    with client_from_settings(Settings.from_env()) as client:
        fetch_and_land(client, raw_dir, days_from_text(ranges), lander_id(backfill), backfill, quiet, stop=stop)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
