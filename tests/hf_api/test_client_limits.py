"""HFClient's limits against a real local server playing a hostile one: drip, gzip bomb, endless
body, a body too large, endless pages, long Retry-After waits.

Each test checks the one-line error (the day, the limit, the variable that raises it) and that
the failure was bounded: memory through tracemalloc's peak, time through the test's own pytest
timeout plus a generous sanity bound. Retry waits go to a FakeClock, so they cost no real time.
"""

from __future__ import annotations

import json
import pickle
import time
import tracemalloc
from datetime import date

import httpx
import pytest

from hf_api.client import HFClient
from hf_api.config import client_from_settings
from hf_api.errors import FetchError, PageLimitExceeded
from hf_api.limits import FetchLimits
from hf_api.sample_replay import day_file
from hf_api.testing.clock import FakeClock
from hf_api.testing.fake_server import FakeHFServer
from papers_settings import Settings

DAY = date(2024, 5, 27)
KEY = DAY.isoformat()
ITEMS = [{"paper": {"id": f"2405.2000{i}"}, "title": f"paper {i}"} for i in range(3)]
MB = 1024 * 1024

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def days_dir(tmp_path):
    day_file(tmp_path, DAY).write_text(json.dumps(ITEMS, indent=2))
    return tmp_path


def fetch(server, clock=None, **kwargs):
    """Fetch DAY; returns the FetchedDay or the FetchError."""
    kwargs = {"requests_per_second": None, "sleep": (clock or FakeClock()).sleep, **kwargs}
    with HFClient(server.base_url, **kwargs) as client:
        try:
            return client.fetch_day(DAY)
        except FetchError as error:
            return error


def fetch_measured(server, **kwargs):
    """fetch(), with the peak of Python allocations (server thread included) and the time taken."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        outcome = fetch(server, **kwargs)
        return outcome, tracemalloc.get_traced_memory()[1], time.monotonic() - started
    finally:
        tracemalloc.stop()


def test_a_dripping_body_is_cut_at_the_request_deadline_and_retried(days_dir):
    # ~150 bytes at one per 0.2 s would take ~30 s; the deadline is 0.5 s per attempt.
    limits = FetchLimits(request_deadline_s=0.5)
    with FakeHFServer(days_dir, faults={KEY: "always:drip:0.2"}) as server:
        error, _, seconds = fetch_measured(server, limits=limits, max_attempts=2)
    assert error.reason == ("no complete answer within the 0.5 s request deadline (raise HF_REQUEST_DEADLINE_S to allow more) x2")
    assert str(error).startswith("2024-05-27: gave up after 2 attempts")
    assert error.last_status == 200  # the headers came; the body was still dripping
    assert server.hits == {KEY: 2}
    assert seconds < 10  # sanity only: two attempts of 0.5 s, not ~60 s of drip


def test_a_drip_once_then_a_good_answer_succeeds(days_dir):
    limits = FetchLimits(request_deadline_s=0.5)
    with FakeHFServer(days_dir, faults={KEY: ["drip:0.2", "ok"]}) as server:
        fetched = fetch(server, limits=limits)
    assert fetched.record_count == 3 and server.hits == {KEY: 2}


def test_the_deadline_also_cuts_a_wait_for_headers_shorter_than_the_read_timeout(days_dir):
    # The read timeout is 30 s; the deadline of 0.5 s is what ends the hang.
    limits = FetchLimits(request_deadline_s=0.5)
    with FakeHFServer(days_dir, faults={KEY: "always:hang:20"}) as server:
        error, _, seconds = fetch_measured(server, limits=limits, max_attempts=1)
        server.release_hangs()
    assert error.reason == ("no complete answer within the 0.5 s request deadline (raise HF_REQUEST_DEADLINE_S to allow more) x1")
    assert "no HTTP response" in str(error)
    assert seconds < 10


def test_a_gzip_bomb_stops_at_the_size_limit_without_being_inflated(days_dir):
    # 2 GB once decoded, ~2 MB on the wire, sent in 64 KB writes that inflate to 64 MB each.
    limits = FetchLimits(max_body_bytes=1 * MB)
    with FakeHFServer(days_dir, faults={KEY: "always:gzip-bomb:2048"}) as server:
        error, peak, _ = fetch_measured(server, limits=limits)
    assert str(error) == (
        f"2024-05-27: gave up after 1 attempt on {error.url}: last status 200 "
        "(response body larger than the 1048576-byte limit (raise HF_MAX_BODY_BYTES to allow more))"
    )
    assert server.hits == {KEY: 1}  # not retried: the same bomb would come back
    assert peak < 16 * MB, f"peak {peak / MB:.0f} MB"


def test_an_endless_body_stops_at_the_size_limit(days_dir):
    limits = FetchLimits(max_body_bytes=2 * MB)
    with FakeHFServer(days_dir, faults={KEY: "always:endless"}) as server:
        error, peak, _ = fetch_measured(server, limits=limits)
    assert error.reason == ("response body larger than the 2097152-byte limit (raise HF_MAX_BODY_BYTES to allow more)")
    assert (error.attempts, error.last_status, server.hits) == (1, 200, {KEY: 1})
    assert peak < 16 * MB, f"peak {peak / MB:.0f} MB"


def test_a_200_mb_body_is_refused_by_default_from_its_content_length(days_dir):
    with FakeHFServer(days_dir, faults={KEY: "always:big:200"}) as server:
        error, peak, _ = fetch_measured(server)
    assert error.reason == ("response body larger than the 16777216-byte limit (raise HF_MAX_BODY_BYTES to allow more)")
    assert server.hits == {KEY: 1}
    assert peak < 16 * MB, f"peak {peak / MB:.0f} MB"


def test_a_body_at_the_limit_is_read_whole(days_dir):
    served = day_file(days_dir, DAY).read_bytes()
    limits = FetchLimits(max_body_bytes=len(served))
    with FakeHFServer(days_dir) as server:
        fetched = fetch(server, limits=limits)
    assert fetched.pages == [served]


def test_endless_pages_stop_at_the_page_limit(days_dir):
    limits = FetchLimits(max_pages=3)
    with FakeHFServer(days_dir, faults={KEY: "always:endless-pages"}) as server:
        error = fetch(server, limits=limits, page_size=5)
    assert isinstance(error, PageLimitExceeded)
    assert str(error) == (
        f"2024-05-27: stopped before {server.base_url}/api/daily_papers?date=2024-05-27&limit=5&p=3"
        ": "
        "still full pages after 3 pages, the per-day limit "
        "(raise HF_MAX_PAGES_PER_DAY to allow more); nothing of this day was kept"
    )
    assert [r.page for r in server.requests] == [0, 1, 2]
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == str(error)


def test_long_retry_after_waits_stop_at_the_days_wait_budget(days_dir):
    # Each wait is under max_wait_s, so without the budget this page would wait 5 x 119 s.
    clock = FakeClock()
    limits = FetchLimits(max_retry_wait_s=240)
    with FakeHFServer(days_dir, faults={KEY: "always:429:retry-after=119"}) as server:
        error = fetch(server, clock, limits=limits, max_wait_s=120, max_attempts=6)
    assert clock.sleeps == [119.0, 119.0]
    assert str(error) == (
        f"2024-05-27: gave up after 3 attempts on {error.url}: last status 429 (rate limited; "
        "waiting 119 s more would take this day past its 240 s of retry waits, 238 s already "
        "spent (raise HF_MAX_RETRY_WAIT_PER_DAY_S to allow more))"
    )


def test_the_wait_budget_is_shared_by_all_pages_of_a_day(days_dir):
    clock = FakeClock()
    limits = FetchLimits(max_retry_wait_s=150)
    # Page 0: a 429 (wait 100), then ok; page 1: a 429 whose 100 s would pass the 150 s budget.
    faults = {KEY: ["429:retry-after=100", "ok", "429:retry-after=100"]}
    with FakeHFServer(days_dir, faults=faults) as server:
        error = fetch(server, clock, limits=limits, page_size=2)
    assert clock.sleeps == [100.0]
    assert "&p=1" in error.url and "150 s of retry waits, 100 s already spent" in error.reason


def test_every_day_gets_its_own_wait_budget(days_dir):
    clock = FakeClock()
    limits = FetchLimits(max_retry_wait_s=150)
    faults = {KEY: ["429:retry-after=100", "ok"] * 2}
    with (
        FakeHFServer(days_dir, faults=faults) as server,
        HFClient(server.base_url, requests_per_second=None, sleep=clock.sleep, limits=limits) as client,
    ):
        assert client.fetch_day(DAY).record_count == 3
        assert client.fetch_day(DAY).record_count == 3
    assert clock.sleeps == [100.0, 100.0]


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("HF_REQUEST_DEADLINE_S", "12.5")
    monkeypatch.setenv("HF_MAX_BODY_BYTES", "1000")
    monkeypatch.setenv("HF_MAX_PAGES_PER_DAY", "4")
    monkeypatch.setenv("HF_MAX_RETRY_WAIT_PER_DAY_S", "0")
    assert client_from_settings(Settings.from_env()).limits == FetchLimits(12.5, 1000, 4, 0.0)


def test_an_encoding_that_was_not_asked_for_is_a_clear_failure():
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Encoding", "br")])
        return [b"\x0b\x00\x80[]\x03"]

    with (
        HFClient("http://hf.test", transport=httpx.WSGITransport(app=app), max_attempts=1, requests_per_second=None) as client,
        pytest.raises(FetchError, match="Content-Encoding 'br', which was not asked for"),
    ):
        client.fetch_day(DAY)
