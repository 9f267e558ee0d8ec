"""A run of a CLI backfill lands the next runs' days once its own have landed, until its step
ends; the next run reuses them, so no day is fetched twice, and a day that cannot be fetched ahead
is left for its own run to fetch and report."""

from __future__ import annotations

import logging
import threading
from datetime import date

from hf_api.client import HFClient
from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from landing.raw_store import last_failure, list_fetches
from pipeline.fetch_ahead import FetchAhead
from pipeline.fetch_days import FETCH_THREADS, FetchOutcome, fetch_and_land
from pipeline.next_days import NEXT_DAYS_TAG, land_next_days, next_days, next_days_tag

START = date(2025, 2, 3)


def _requested_days(server) -> list[str]:
    return [request.date for request in server.requests]


def test_the_tag_names_the_next_runs_days_and_reads_back_in_order():
    ranges = [
        (date(2025, 4, 1), date(2025, 6, 30)),
        (date(2025, 7, 1), date(2025, 9, 30)),
        (date(2025, 10, 5), date(2025, 10, 6)),
    ]
    tag = next_days_tag(ranges)
    assert tag == "2025-04-01..2025-09-30,2025-10-05..2025-10-06"  # adjacent ranges joined
    days = next_days({NEXT_DAYS_TAG: tag})
    assert days[0] == date(2025, 4, 1) and days[-1] == date(2025, 10, 6) and len(days) == 183 + 2
    assert date(2025, 10, 4) not in days
    assert next_days({}) == []


def test_the_next_days_land_for_the_backfill_and_the_next_run_fetches_none_of_them(tmp_path, caplog):
    days = fixture_days(tmp_path / "served", 8, START)
    raw_dir = tmp_path / "raw"
    with FakeHFServer(tmp_path / "served") as server, HFClient(server.base_url, requests_per_second=0) as client:
        own = fetch_and_land(client, raw_dir, days[:3], "run-1", "bf-1", logging.getLogger("test"))
        landed = land_next_days(client, raw_dir, days, "run-1", "bf-1", threading.Event())
        assert landed == days[3:]  # the run's own days are not fetched again
        requests_before_next_run = len(server.requests)
        with caplog.at_level(logging.INFO, logger="next-run"):
            second = fetch_and_land(client, raw_dir, days[3:], "run-2", "bf-1", logging.getLogger("next-run"))
        assert len(server.requests) == requests_before_next_run  # every day reused
    # The next run's log still names each of its days, and the run that landed it.
    lines = [record.getMessage() for record in caplog.records if record.name == "next-run"]
    assert [line.split(":")[0] for line in lines] == [day.isoformat() for day in days[3:]]
    assert all("landed earlier (run run-1)" in line for line in lines)
    assert list(own.landed) == days[:3] and list(second.landed) == days[3:]
    assert sorted(_requested_days(server)) == sorted(day.isoformat() for day in days)  # each day once
    for day in days[3:]:
        [fetch] = list_fetches(raw_dir, day)
        assert fetch.tags == {"run_id": "run-1", "backfill": "bf-1"} and second.landed[day] == fetch


def test_a_day_that_fails_ahead_is_left_for_its_own_run_which_reports_it(tmp_path):
    days = fixture_days(tmp_path / "served", 5, START)
    raw_dir = tmp_path / "raw"
    faults = {days[2].isoformat(): "always:503"}
    with (
        FakeHFServer(tmp_path / "served", faults=faults) as server,
        HFClient(server.base_url, requests_per_second=0, max_attempts=1) as client,
    ):
        landed = land_next_days(client, raw_dir, days, "run-1", "bf-1", threading.Event())
        assert landed == [days[0], days[1], days[3], days[4]]
        assert list_fetches(raw_dir, days[2]) == [] and last_failure(raw_dir, days[2]) is None
        outcome = fetch_and_land(client, raw_dir, days, "run-2", "bf-1", logging.getLogger("test"))
    assert list(outcome.failures) == [days[2]] and "503" in outcome.failures[days[2]]
    assert last_failure(raw_dir, days[2]) is not None  # recorded by the day's own run


def test_once_stopped_no_further_day_is_started(tmp_path):
    days = fixture_days(tmp_path / "served", 10, START)
    stop = threading.Event()
    stop.set()
    with FakeHFServer(tmp_path / "served") as server, HFClient(server.base_url, requests_per_second=0) as client:
        land_next_days(client, tmp_path / "raw", days, "run-1", "bf-1", stop)
        # only the fetches started before it looked at the stop (they land: fetched, not wasted)
        assert len(server.requests) <= FETCH_THREADS


def test_the_step_takes_its_own_days_while_the_next_ones_land_until_its_end():
    started, stopped = threading.Event(), threading.Event()

    def fetch(on_landed, log, stop):
        on_landed(START, "fetch")
        return FetchOutcome()

    def then(stop: threading.Event) -> None:
        started.set()
        stop.wait(timeout=10)
        stopped.set()

    with FetchAhead(fetch, logging.getLogger("test"), then=then) as ahead:
        assert [day for day, _ in ahead.landed()] == [START]  # ends with the run's own days
        assert started.wait(timeout=10) and not stopped.is_set()
    assert stopped.is_set()  # the step's end stopped it and waited for it
