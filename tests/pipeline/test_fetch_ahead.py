"""The load takes each landed day while the fetch goes on: days in order, log lines on the
caller's thread, the fetch's error raised in the caller, and a caller that stops stops the fetch."""

from __future__ import annotations

import errno
import logging
import threading
from datetime import UTC, date, datetime, timedelta

import pytest

from landing.raw_store import RawFetch, land_fetch, list_fetches
from pipeline.fetch_ahead import FetchAhead
from pipeline.fetch_days import FetchOutcome
from pipeline.load_days import Replayable, day_chunks, stream_chunks

DAYS = [date(2025, 3, 3) + timedelta(days=i) for i in range(4)]


class Recorded(logging.Handler):
    """Each log line with the thread that wrote it."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[tuple[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append((record.getMessage(), threading.current_thread().name))


def recording_logger(name: str) -> tuple[logging.Logger, Recorded]:
    log = logging.getLogger(name)
    log.setLevel(logging.INFO)
    handler = Recorded()
    log.addHandler(handler)
    return log, handler


def land(raw_dir, day: date) -> RawFetch:
    return land_fetch(raw_dir, day, datetime(2025, 3, 10, tzinfo=UTC), f"test://{day}", [b"[]"], 0)


def test_each_day_reaches_the_caller_while_the_fetch_still_runs(tmp_path):
    taken: dict[date, threading.Event] = {day: threading.Event() for day in DAYS}

    def fetch(on_landed, log, stop):
        outcome = FetchOutcome()
        for day in DAYS:
            outcome.landed[day] = land(tmp_path, day)
            log.info(f"{day}: landed")
            on_landed(day, outcome.landed[day])
            # The next day is fetched only once the caller has this one: it must not wait for the end.
            assert taken[day].wait(5), f"the caller never got {day} while the fetch ran"
        return outcome

    log, handler = recording_logger("fetch-ahead-order")
    with FetchAhead(fetch, log) as fetching:
        seen = []
        for day, fetched in fetching.landed():
            seen.append(day)
            assert fetched == list_fetches(tmp_path, day)[-1]
            taken[day].set()
    assert seen == DAYS
    assert fetching.outcome is not None and list(fetching.outcome.landed) == DAYS
    # Logged on the fetch thread, written on the caller's, in order.
    assert handler.lines == [(f"{day}: landed", threading.current_thread().name) for day in DAYS]


def test_the_fetch_error_is_raised_in_the_caller_after_the_days_landed_before_it(tmp_path):
    def fetch(on_landed, log, stop):
        on_landed(DAYS[0], land(tmp_path, DAYS[0]))
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path))

    with FetchAhead(fetch, logging.getLogger("fetch-ahead-error")) as fetching:
        seen = []
        with pytest.raises(OSError) as raised:
            for day, _ in fetching.landed():
                seen.append(day)
    assert seen == [DAYS[0]]
    assert raised.value.errno == errno.ENOSPC


def test_a_caller_that_fails_stops_the_fetch_before_its_next_day(tmp_path):
    fetched: list[date] = []

    def fetch(on_landed, log, stop):
        for day in DAYS:
            if stop.is_set():
                break
            fetched.append(day)
            on_landed(day, land(tmp_path, day))
            stop.wait(5)  # as a slow next request would
        return FetchOutcome()

    with pytest.raises(RuntimeError, match="the load failed"), FetchAhead(fetch, logging.getLogger("fetch-ahead-stop")):
        raise RuntimeError("the load failed")
    assert fetched == [DAYS[0]]


def test_chunks_of_streamed_days_are_those_of_day_chunks_and_each_is_handed_on_before_the_days_after_it(tmp_path):
    sizes = [40, 40, 30, 100, 10]
    for day, size in zip(DAYS + [DAYS[-1] + timedelta(days=1)], sizes, strict=True):
        land_fetch(tmp_path, day, datetime(2025, 3, 10, tzinfo=UTC), f"test://{day}", [b"[" + b" " * (size - 2) + b"]"], 0)
    days = sorted(p.name for p in tmp_path.iterdir())
    fetches = {date.fromisoformat(d): list_fetches(tmp_path, date.fromisoformat(d)) for d in days}
    arrived: list[date] = []

    def arriving():
        for day, found in fetches.items():
            arrived.append(day)
            yield day, found

    chunks = stream_chunks(arriving(), max_bytes=100)
    first = next(chunks)
    assert list(first) == list(fetches)[:2]
    assert arrived == list(fetches)[:3]  # the third day told the first chunk was full, nothing more was read
    assert [first, *chunks] == day_chunks(fetches, max_bytes=100)


def test_every_pass_over_a_replayable_starts_again_from_the_first_item_and_reads_the_source_once():
    read: list[int] = []

    def source():
        for item in range(4):
            read.append(item)
            yield item

    items = Replayable(source())
    first_pass = iter(items)
    assert [next(first_pass), next(first_pass)] == [0, 1]  # a load that stopped after two chunks
    assert list(items) == [0, 1, 2, 3]
    assert list(items) == [0, 1, 2, 3]
    assert read == [0, 1, 2, 3]
