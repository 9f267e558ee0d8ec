"""fetch_and_land lands days on worker threads: what it reports is what is on disk, and a landing
that fails stops the step with its own error."""

from __future__ import annotations

import errno
import logging
import threading
from datetime import UTC, date, datetime

import pytest

import pipeline.fetch_days as fetch_days
from hf_api.client import HFClient
from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from landing.raw_store import land_fetch, last_failure, list_fetches, record_failure
from pipeline.fetch_days import fetch_and_land


def test_every_day_reported_landed_is_the_one_on_disk_and_its_old_failure_is_cleared(tmp_path, monkeypatch):
    # More days than may wait in memory, so the step also waits for the oldest landing mid-range.
    monkeypatch.setattr(fetch_days, "MAX_PENDING", 2)
    days = fixture_days(tmp_path / "served", 7, date(2025, 2, 3))
    raw_dir = tmp_path / "raw"
    record_failure(raw_dir, days[3], "503 last time", "run-0")
    with FakeHFServer(tmp_path / "served") as server, HFClient(server.base_url, requests_per_second=0) as client:
        outcome = fetch_and_land(client, raw_dir, days, "run-1", None, logging.getLogger("test"))
    assert list(outcome.landed) == days and not outcome.failures
    for day in days:
        [on_disk] = list_fetches(raw_dir, day)
        assert outcome.landed[day] == on_disk and on_disk.tags == {"run_id": "run-1"}
    assert last_failure(raw_dir, days[3]) is None


def test_a_landing_that_fails_on_a_worker_thread_fails_the_step_with_its_error(tmp_path, monkeypatch):
    days = fixture_days(tmp_path / "served", 4, date(2025, 2, 3))

    def full_on_the_third_day(raw_dir, day, *args):
        if day == days[2]:
            raise OSError(errno.ENOSPC, "No space left on device", str(raw_dir / day.isoformat()))
        return land_fetch(raw_dir, day, *args)

    monkeypatch.setattr(fetch_days, "land_fetch", full_on_the_third_day)
    raw_dir = tmp_path / "raw"
    with (
        FakeHFServer(tmp_path / "served") as server,
        HFClient(server.base_url, requests_per_second=0) as client,
        pytest.raises(OSError) as raised,
    ):
        fetch_and_land(client, raw_dir, days, "run-1", None, logging.getLogger("test"))
    assert raised.value.errno == errno.ENOSPC
    assert list_fetches(raw_dir, days[2]) == []
    # The days before it are complete on disk, so a rerun in the same run reuses them.
    assert all(len(list_fetches(raw_dir, day)) == 1 for day in days[:2])


def test_days_are_fetched_several_at_once_and_one_that_fails_fails_alone(tmp_path):
    days = fixture_days(tmp_path / "served", 6, date(2025, 2, 3))
    # the first day's body stalls for a second: the next days are fetched meanwhile
    faults = {days[0].isoformat(): ["slow:1"], days[2].isoformat(): "always:503"}
    raw_dir = tmp_path / "raw"
    with (
        FakeHFServer(tmp_path / "served", faults=faults) as server,
        HFClient(server.base_url, requests_per_second=0, max_attempts=1) as client,
    ):
        outcome = fetch_and_land(client, raw_dir, days, "run-1", None, logging.getLogger("test"))
        in_flight = server.max_in_flight
    assert list(outcome.failures) == [days[2]] and "503" in outcome.failures[days[2]]
    assert sorted(outcome.landed) == [day for day in days if day != days[2]]
    assert all(len(list_fetches(raw_dir, day)) == 1 for day in outcome.landed)
    assert 1 < in_flight <= fetch_days.FETCH_THREADS


def test_a_step_stopped_mid_fetch_does_not_wait_for_the_days_in_flight(tmp_path, monkeypatch):
    days = fixture_days(tmp_path / "served", 4, date(2025, 2, 3))

    def interrupted_on_the_first_day(raw_dir, day, *args):
        raise KeyboardInterrupt  # as Ctrl-C inside the step (runs/interrupts.py raises a BaseException)

    monkeypatch.setattr(fetch_days, "land_fetch", interrupted_on_the_first_day)
    # the second day's answer hangs until released: waiting for it would never end
    with (
        FakeHFServer(tmp_path / "served", faults={days[1].isoformat(): ["hang:600"]}) as server,
        HFClient(server.base_url, requests_per_second=0, max_attempts=1) as client,
    ):
        with pytest.raises(KeyboardInterrupt):
            fetch_and_land(client, tmp_path / "raw", days, "run-1", None, logging.getLogger("test"))
        still_fetching = [t for t in threading.enumerate() if t.name.startswith("fetch")]
        server.release_hangs()
    assert still_fetching  # it returned while the hung day was still in flight
    assert all(list_fetches(tmp_path / "raw", day) == [] for day in days)


def test_each_landed_day_is_handed_on_in_order_and_a_stop_fetches_no_further_day(tmp_path, monkeypatch):
    # One day fetched at a time (and the next one started) and each day's landing awaited before
    # the next day is taken, so the stop comes between two fetches.
    monkeypatch.setattr(fetch_days, "MAX_PENDING", 0)
    monkeypatch.setattr(fetch_days, "FETCH_THREADS", 1)
    days = fixture_days(tmp_path / "served", 5, date(2025, 2, 3))
    raw_dir = tmp_path / "raw"
    # Landed earlier in the same backfill: handed on as reused, after the day before it.
    land_fetch(raw_dir, days[1], datetime(2025, 2, 10, tzinfo=UTC), "test://reused", [b"[]"], 0, {"backfill": "bf-1"})
    stop = threading.Event()
    handed: list[tuple[date, bool]] = []

    def on_landed(day, fetch):
        assert list_fetches(raw_dir, day)[-1] == fetch  # on disk and renamed into place
        handed.append((day, fetch.tags.get("run_id") == "run-1"))
        if day == days[2]:
            stop.set()

    with FakeHFServer(tmp_path / "served") as server, HFClient(server.base_url, requests_per_second=0) as client:
        outcome = fetch_and_land(client, raw_dir, days, "run-1", "bf-1", logging.getLogger("test"), on_landed, stop)
    assert handed == [(days[0], True), (days[1], False), (days[2], True)]
    assert list(outcome.landed) == days[:3] and not outcome.failures
    # The day after the stop may already be in flight (fetched one ahead): it is not landed, and
    # no day after it is asked for.
    asked = [request.date for request in server.requests]
    assert asked[:2] == [days[0].isoformat(), days[2].isoformat()] and days[4].isoformat() not in asked
    assert list_fetches(raw_dir, days[3]) == [] and list_fetches(raw_dir, days[4]) == []
