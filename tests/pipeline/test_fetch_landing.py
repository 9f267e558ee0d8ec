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


def test_each_landed_day_is_handed_on_in_order_and_a_stop_fetches_no_further_day(tmp_path, monkeypatch):
    # Each day's landing is awaited before the next fetch, so the stop comes between two fetches.
    monkeypatch.setattr(fetch_days, "MAX_PENDING", 0)
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
    assert list_fetches(raw_dir, days[3]) == [] and len(server.requests) == 2
