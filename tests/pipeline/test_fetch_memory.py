"""fetch_and_land frees what it fetched: no day's response body outlives the fetch step."""

from __future__ import annotations

import gc
import logging
from datetime import date

import httpx

from hf_api.client import HFClient
from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from pipeline.fetch_days import fetch_and_land


def live_responses() -> int:
    return sum(isinstance(o, httpx.Response) for o in gc.get_objects())


def test_no_response_of_a_landed_day_is_left_for_the_cyclic_collector(tmp_path):
    days = fixture_days(tmp_path / "served", 3, date(2025, 2, 3))
    gc.collect()
    before = live_responses()
    # An httpx Response and its stream refer to each other: with automatic collection off, each
    # response (and the day's body it holds) stays alive unless the fetch step collects them.
    gc.disable()
    try:
        with FakeHFServer(tmp_path / "served") as server, HFClient(server.base_url, requests_per_second=0) as client:
            outcome = fetch_and_land(client, tmp_path / "raw", days, "run-1", None, logging.getLogger("test"))
            assert sorted(outcome.landed) == days
            assert live_responses() == before
    finally:
        gc.enable()
