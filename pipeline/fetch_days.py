"""The fetch step: fetch listing days from the HF API and land them verbatim (no Dagster here:
`log` is any logger with `info` and `error`)."""

import gc
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path

from hf_api.client import FetchError, HFClient
from landing.raw_store import (
    RawFetch,
    clear_failure,
    land_fetch,
    list_fetches,
    record_failure,
)
from pipeline.free_heap import release_free_heap

# Tags that group the runs of one backfill. A retry inside the same backfill (or the same run)
# reuses the days it already landed instead of fetching them again.
BACKFILL_TAGS = ("dagster/backfill", "papers/backfill")


@dataclass
class FetchOutcome:
    """Which days landed (new or reused) and which failed, with the reason."""

    landed: dict[date, RawFetch] = field(default_factory=dict)
    failures: dict[date, str] = field(default_factory=dict)


def backfill_id(tags: dict) -> str | None:
    """The id of the backfill a run belongs to, if any."""
    return next((tags[key] for key in BACKFILL_TAGS if key in tags), None)


def landed_by(raw_dir: Path, day: date, run_id: str, backfill: str | None) -> RawFetch | None:
    """A fetch of `day` already landed by this run or this backfill."""
    for fetch in reversed(list_fetches(raw_dir, day)):
        if fetch.tags.get("run_id") == run_id or (backfill and fetch.tags.get("backfill") == backfill):
            return fetch
    return None


# Landings in flight while the next day is fetched. Each landed file is fsynced before its fetch
# is renamed into place; one after the other, each fsync waited for a journal commit of its own
# (a year: 730 of them, 3-10 s of wall). In flight together they share commits. At most
# MAX_PENDING days' bodies wait in memory.
LANDING_THREADS = 4
MAX_PENDING = 8
# Days fetched at once. The client's rate limit still spaces the start of every request across
# them (retries included; hf_api/rate_limit.py), and one day's pages stay in order. One day at a
# time, each request waited for the previous answer: the daily run's 90 requests to the local
# stand-in took 4.4-5.2 s at load ~7, 2.3-2.7 s four at a time.
FETCH_THREADS = 4


def fetch_and_land(
    client: HFClient,
    raw_dir: Path,
    days: list[date],
    run_id: str,
    backfill: str | None,
    log,
    on_landed: Callable[[date, RawFetch], None] | None = None,
    stop: threading.Event | None = None,
) -> FetchOutcome:
    """Fetch each day (or reuse this run's/backfill's earlier fetch) and land it atomically.

    Up to FETCH_THREADS days are fetched at once and a day is landed on a worker thread while
    later ones are fetched; days are reported in order, each landed only once its files are on
    disk and renamed into place, and a day that cannot be fetched fails alone. `on_landed(day,
    fetch)` is called as each day is reported landed, in the order of `days`; once `stop` is set
    no further day is started or reported (the days landing still finish).
    """
    tags = {"run_id": run_id, **({"backfill": backfill} if backfill else {})}
    outcome = FetchOutcome()
    reused = {day: landed_by(raw_dir, day, run_id, backfill) for day in days}
    pending: deque[tuple[date, int, Future[RawFetch]]] = deque()

    def report(day: date, fetch: RawFetch) -> None:
        outcome.landed[day] = fetch
        if on_landed is not None:
            on_landed(day, fetch)

    def finish_oldest() -> None:
        day, records, landing = pending.popleft()
        fetch = landing.result()
        clear_failure(raw_dir, day)
        log.info(f"{day}: landed {records} records")
        report(day, fetch)

    def stopped() -> bool:
        return stop is not None and stop.is_set()

    fetching: deque[tuple[date, Future]] = deque()
    try:
        with ThreadPoolExecutor(LANDING_THREADS, thread_name_prefix="landing") as pool:
            next_days = iter([day for day in days if reused[day] is None])
            fetching.extend((day, _start_fetch(client, day)) for day in islice(next_days, FETCH_THREADS))
            for day in days:
                if stopped():
                    break
                earlier = reused[day]
                if earlier is not None:
                    # Reported after the days before it, which may still be landing.
                    while pending:
                        finish_oldest()
                    log.info(f"{day}: {earlier.record_count} records landed earlier (run {earlier.tags.get('run_id')})")
                    report(day, earlier)
                    continue
                _, fetch = fetching.popleft()  # started in the order of `days`: this day's
                try:
                    fetched = fetch.result()
                except FetchError as error:
                    log.error(str(error))
                    # The day is stored beside the reason (and shown beside it), so the reason omits it.
                    record_failure(raw_dir, day, error.problem, run_id)
                    outcome.failures[day] = error.problem
                    fetched = None
                del fetch  # its result holds the day's bodies
                if not stopped():
                    for later in islice(next_days, 1):
                        fetching.append((later, _start_fetch(client, later)))
                if fetched is None:
                    continue
                landing = pool.submit(
                    land_fetch, raw_dir, day, fetched.fetched_at, fetched.url, fetched.pages, fetched.record_count, tags
                )
                pending.append((day, fetched.record_count, landing))
                del fetched
                while len(pending) > MAX_PENDING or (pending and pending[0][2].done()):
                    finish_oldest()
            while pending:
                finish_oldest()
    finally:
        # Ctrl-C (runs/interrupts.py), a failed landing or a stop: the fetches still in flight are
        # left to end on their own (what they fetch is never landed).
        for _, fetch in fetching:
            fetch.cancel()
    # An httpx Response and its stream refer to each other, so a landed day's body is freed only
    # by the cyclic collector, which seldom runs a full pass: bodies of earlier days were still
    # held at the search rebuild of a 10x backfill (~30 MB more at its peak, measured).
    gc.collect()
    # What they took stays in the fetch threads' malloc arenas, free but held, during the load.
    release_free_heap()
    return outcome


def _start_fetch(client: HFClient, day: date) -> Future:
    """`client.fetch_day(day)` on a daemon thread of its own (at most FETCH_THREADS run at once).

    Not a ThreadPoolExecutor: Python joins an executor's threads at exit, so a step stopped by
    Ctrl-C or SIGTERM kept its process alive until the fetches in flight and their retry waits
    had ended (16 s measured in tests/e2e/test_writer_crash.py); a daemon thread is not waited for.
    """
    result: Future = Future()

    def fetch() -> None:
        if not result.set_running_or_notify_cancel():
            return
        try:
            result.set_result(client.fetch_day(day))
        except BaseException as error:  # noqa: BLE001 - handed to the caller through the future
            result.set_exception(error)

    threading.Thread(target=fetch, name=f"fetch-{day}", daemon=True).start()
    return result
