"""The fetch step: fetch listing days from the HF API and land them verbatim (no Dagster here:
`log` is any logger with `info` and `error`)."""

import gc
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from hf_api.client import FetchError, HFClient
from landing.raw_store import (
    RawFetch,
    clear_failure,
    land_fetch,
    list_fetches,
    record_failure,
)

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

    A day is landed on a worker thread while the next one is fetched; it is reported landed
    only once its files are on disk and renamed into place, as before. `on_landed(day, fetch)`
    is called as each day is reported landed, in the order of `days`; once `stop` is set no
    further day is fetched (the days landing still finish).
    """
    tags = {"run_id": run_id, **({"backfill": backfill} if backfill else {})}
    outcome = FetchOutcome()
    pending: deque[tuple[date, int, Future[RawFetch]]] = deque()

    def finish_oldest() -> None:
        day, records, landing = pending.popleft()
        outcome.landed[day] = landing.result()
        clear_failure(raw_dir, day)
        log.info(f"{day}: landed {records} records")
        if on_landed is not None:
            on_landed(day, outcome.landed[day])

    with ThreadPoolExecutor(LANDING_THREADS, thread_name_prefix="landing") as pool:
        for day in days:
            if stop is not None and stop.is_set():
                break
            reused = landed_by(raw_dir, day, run_id, backfill)
            if reused is not None:
                # Reported after the days before it, which may still be landing.
                while pending:
                    finish_oldest()
                outcome.landed[day] = reused
                if on_landed is not None:
                    on_landed(day, reused)
                continue
            try:
                fetched = client.fetch_day(day)
            except FetchError as error:
                log.error(str(error))
                # The day is stored beside the reason (and shown beside it), so the reason omits it.
                record_failure(raw_dir, day, error.problem, run_id)
                outcome.failures[day] = error.problem
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
    # An httpx Response and its stream refer to each other, so a landed day's body is freed only
    # by the cyclic collector, which seldom runs a full pass: bodies of earlier days were still
    # held at the search rebuild of a 10x backfill (~30 MB more at its peak, measured).
    gc.collect()
    return outcome
