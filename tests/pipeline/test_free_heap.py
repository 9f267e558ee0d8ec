"""The fetch gives the free memory of its threads' malloc arenas back once it ends."""

from __future__ import annotations

import logging
import platform
from datetime import date

import pytest

import pipeline.fetch_days as fetch_days
from hf_api.client import HFClient
from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from pipeline.free_heap import release_free_heap


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_free_heap_is_released_on_glibc():
    assert release_free_heap() is True


def test_the_fetch_releases_the_free_heap_after_its_last_day(tmp_path, monkeypatch):
    days = fixture_days(tmp_path / "served", 3, date(2025, 2, 3))
    seen: list[list[date]] = []

    def recorded() -> bool:
        seen.append(sorted(outcome_days))
        return True

    outcome_days: list[date] = []
    monkeypatch.setattr(fetch_days, "release_free_heap", recorded)
    with FakeHFServer(tmp_path / "served") as server, HFClient(server.base_url, requests_per_second=0) as client:

        def on_landed(day, _fetch) -> None:
            outcome_days.append(day)

        outcome = fetch_days.fetch_and_land(client, tmp_path / "raw", days, "run-1", None, logging.getLogger("test"), on_landed)
    assert sorted(outcome.landed) == days
    assert seen == [days], "released once, after every day had landed"
