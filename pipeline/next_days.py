"""Landing the next run's days while this run loads, publishes and reports its own.

`papers backfill` runs its ranges one after another, and each run's step fetched its own days:
while a run loaded, checked, published and wrote its events, nothing was fetched, and the next run
began by waiting for its first days. A run of a CLI backfill carries the days of the runs still
to come (`NEXT_DAYS_TAG`); once its own days have landed, its fetch thread goes on landing those,
in order, until the step ends. They are landed with the backfill's tag, so the next run reuses
them (`fetch_days.landed_by`) instead of fetching them: every day is still fetched once, by the
same client and under its rate limit, only earlier (but for a fetch still in flight STOP_WAIT_S after
the step's end, which is dropped and fetched again by its own run).

A day that cannot be fetched ahead is left alone (no failure recorded, nothing logged): the run
whose day it is fetches it again and reports it as it always did.
"""

from __future__ import annotations

import concurrent.futures
import threading
from collections import deque
from collections.abc import Iterable
from datetime import date
from itertools import islice
from pathlib import Path

from hf_api.client import HFClient
from landing.raw_store import clear_failure, land_fetch
from pipeline.date_ranges import days_between
from pipeline.fetch_days import FETCH_THREADS, free_fetched_bodies, landed_by, start_fetch

# The tag of a run of a CLI backfill that holds the days of the runs after it, as
# "FIRST..LAST" ranges joined by commas.
NEXT_DAYS_TAG = "papers/next_days"
# How often the landing loop looks at the stop while it waits for a fetch: the step's end (and
# Ctrl-C) waits at most this long for it.
POLL_S = 0.05
# How long the step's end waits for the fetches in flight when it stops this (at the client's
# rate limit of 2 a second, one more request's turn comes within it).
STOP_WAIT_S = 0.6


def next_days_tag(ranges: Iterable[tuple[date, date]]) -> str:
    """The tag value for the days of `ranges`, adjacent ranges joined."""
    spans: list[list[date]] = []
    for first, last in sorted(ranges):
        if spans and (first - spans[-1][1]).days <= 1:
            spans[-1][1] = max(spans[-1][1], last)
        else:
            spans.append([first, last])
    return ",".join(f"{first.isoformat()}..{last.isoformat()}" for first, last in spans)


def next_days(tags: dict) -> list[date]:
    """The days a run's NEXT_DAYS_TAG names, in order (none without the tag)."""
    value = tags.get(NEXT_DAYS_TAG, "")
    days: list[date] = []
    for span in filter(None, value.split(",")):
        first, _, last = span.partition("..")
        days += days_between(date.fromisoformat(first), date.fromisoformat(last or first))
    return days


def land_next_days(
    client: HFClient, raw_dir: Path, days: list[date], run_id: str, backfill: str, stop: threading.Event
) -> list[date]:
    """Fetch and land `days` (those this backfill has not landed yet), FETCH_THREADS at a time and
    in order, until `stop` is set; return the days landed. The fetches in flight at the stop are
    waited for up to STOP_WAIT_S and landed (so that the next run does not fetch them again); those
    still running then are left to end on their own and are never landed."""
    tags = {"run_id": run_id, "backfill": backfill}
    todo = iter([day for day in days if landed_by(raw_dir, day, run_id, backfill) is None])
    fetching: deque[tuple[date, concurrent.futures.Future]] = deque(
        (day, start_fetch(client, day)) for day in islice(todo, FETCH_THREADS)
    )
    landed: list[date] = []

    def land(day: date, fetch: concurrent.futures.Future) -> None:
        if fetch.exception() is not None:
            return  # FetchError: the day's own run fetches it again and reports why it failed
        fetched = fetch.result()
        land_fetch(raw_dir, day, fetched.fetched_at, fetched.url, fetched.pages, fetched.record_count, tags)
        clear_failure(raw_dir, day)
        landed.append(day)

    try:
        while fetching and not stop.is_set():
            day, fetch = fetching[0]
            if concurrent.futures.wait([fetch], timeout=POLL_S).done:
                fetching.popleft()
                fetching.extend((later, start_fetch(client, later)) for later in islice(todo, 1))
                land(day, fetch)
        concurrent.futures.wait([fetch for _, fetch in fetching], timeout=STOP_WAIT_S)
        for day, fetch in fetching:
            if fetch.done():
                land(day, fetch)
    except OSError:
        pass  # a full disk: the next run meets it in its own fetch, which reports it
    finally:
        for _, fetch in fetching:
            fetch.cancel()
    free_fetched_bodies()
    return landed
