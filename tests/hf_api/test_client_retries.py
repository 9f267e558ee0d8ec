"""HFClient retries against every fault the fake server injects (a real local HTTP server).

Retry waits go to a FakeClock, so tests record the waits the client chose without sleeping;
only the timeout tests spend real time (a read timeout of 0.3 s).
"""

from __future__ import annotations

import json
import logging
import pickle
import socket
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from hf_api.client import HFClient
from hf_api.errors import FetchError
from hf_api.sample_replay import day_file, page_body
from hf_api.testing.clock import FakeClock
from hf_api.testing.fake_server import FakeHFServer

DAY = date(2024, 5, 27)
KEY = DAY.isoformat()
# Three papers, below the default page size, so a healthy day is exactly one request.
ITEMS = [
    {"paper": {"id": "2405.10001"}, "title": "first"},
    {"paper": {"id": "2405.10002"}, "title": "second"},
    {"paper": {"id": "2405.10003"}, "title": "third"},
]
SHORT = httpx.Timeout(0.3)


@pytest.fixture
def days_dir(tmp_path):
    day_file(tmp_path, DAY).write_text(json.dumps(ITEMS, indent=2))
    return tmp_path


@pytest.fixture
def clock():
    return FakeClock()


def fetch(days_dir, faults, clock, **kwargs):
    """Fetch DAY through a fake server with `faults`; returns (FetchedDay or FetchError, server)."""
    kwargs = {"requests_per_second": None, "sleep": clock.sleep, **kwargs}
    with FakeHFServer(days_dir, faults={KEY: faults}) as server, HFClient(server.base_url, **kwargs) as client:
        try:
            return client.fetch_day(DAY), server
        except FetchError as error:
            return error, server


def statuses(server):
    return [r.status for r in server.requests]


def test_429_with_retry_after_then_503_then_success(days_dir, clock):
    fetched, server = fetch(days_dir, ["429:retry-after=1", "503", "ok"], clock, backoff_base_s=0.1)
    assert fetched.record_count == 3
    assert statuses(server) == [429, 503, 200]
    assert clock.sleeps[0] == 1.0  # Retry-After: 1
    # No hint after the second attempt: backoff_base_s * 2**1 plus jitter of up to backoff_base_s.
    assert 0.2 <= clock.sleeps[1] <= 0.3


def test_ratelimit_header_reset_is_the_wait(days_dir, clock):
    fetched, server = fetch(days_dir, ["429:ratelimit-t=7"], clock)
    assert fetched.record_count == 3
    assert clock.sleeps == [7.0]


def test_retry_after_as_http_date(days_dir, clock):
    fetched, _ = fetch(days_dir, ["503:retry-after-date=30"], clock)
    assert fetched.record_count == 3
    # An HTTP-date has whole seconds, so 30 s ahead reads as just under 29-30 s.
    assert 28.0 <= clock.sleeps[0] <= 30.0


def test_retry_after_beyond_max_wait_gives_up_at_once(days_dir, clock):
    before = datetime.now(UTC)
    error, server = fetch(days_dir, ["429:retry-after=600"], clock, max_wait_s=120)
    assert isinstance(error, FetchError)
    assert (error.attempts, error.last_status, clock.sleeps) == (1, 429, [])
    until = datetime.strptime(error.reason, "rate limited until %Y-%m-%dT%H:%M:%SZ")
    until = until.replace(tzinfo=UTC)
    after = datetime.now(UTC)
    assert before + timedelta(seconds=599) <= until <= after + timedelta(seconds=600)
    assert server.hits == {KEY: 1}


def test_always_failing_day_names_date_url_and_last_status(days_dir, clock):
    error, server = fetch(days_dir, "always:503", clock, max_attempts=4)
    assert isinstance(error, FetchError)
    url = f"{server.base_url}/api/daily_papers?date=2024-05-27&limit=100&p=0"
    assert (error.listing_date, error.url, error.last_status, error.attempts) == (DAY, url, 503, 4)
    assert str(error) == (f"2024-05-27: gave up after 4 attempts on {url}: last status 503 (server error 503 x4)")
    assert server.hits == {KEY: 4}


def test_backoff_doubles_with_jitter_up_to_the_cap(days_dir, clock):
    fetch(days_dir, "always:500", clock, backoff_base_s=1.0, backoff_max_s=5.0, max_attempts=6)
    # Wait n is min(5, 2**(n-1) + U(0, 1)): [1,2], [2,3], [4,5], then capped at 5 twice.
    bounds = [(1, 2), (2, 3), (4, 5), (5, 5), (5, 5)]
    assert len(clock.sleeps) == 5
    assert all(low <= wait <= high for wait, (low, high) in zip(clock.sleeps, bounds, strict=True))


def test_retries_are_logged_with_date_status_and_wait(days_dir, clock, caplog):
    caplog.set_level(logging.WARNING, logger="hf_api.client")
    fetch(days_dir, ["429:retry-after=2", "ok"], clock)
    (record,) = caplog.records
    assert (record.listing_date, record.status, record.wait_s) == (KEY, 429, 2.0)
    assert "2024-05-27" in record.getMessage() and "retrying in 2.0 s" in record.getMessage()


def test_404_is_not_retried(days_dir, clock):
    error, server = fetch(days_dir, ["404"], clock)
    assert (error.attempts, error.last_status, error.reason) == (1, 404, "HTTP 404 (not retried)")
    assert len(server.requests) == 1 and clock.sleeps == []


def test_a_hanging_server_times_out_and_the_retry_succeeds(days_dir, clock):
    fetched, server = fetch(days_dir, ["hang:5", "ok"], clock, timeout=SHORT)
    assert fetched.record_count == 3
    assert server.hits == {KEY: 2}


def test_always_hanging_gives_up_with_no_status(days_dir, clock):
    error, _ = fetch(days_dir, "always:hang:5", clock, timeout=SHORT, max_attempts=2)
    assert (error.last_status, error.attempts, error.reason) == (None, 2, "timed out x2")
    assert "no HTTP response (timed out x2)" in str(error)


def test_a_slow_body_within_the_timeout_is_read_whole(days_dir, clock):
    fetched, server = fetch(days_dir, ["slow:0.1"], clock)
    assert fetched.pages == [page_body(days_dir, DAY, limit=100, page=0)]
    assert server.hits == {KEY: 1}


def test_a_body_stalling_past_the_read_timeout_is_retried(days_dir, clock):
    fetched, server = fetch(days_dir, ["slow:2", "ok"], clock, timeout=SHORT)
    assert fetched.record_count == 3
    assert server.hits == {KEY: 2}


def test_a_truncated_body_is_retried(days_dir, clock):
    fetched, server = fetch(days_dir, ["truncated", "ok"], clock)
    assert fetched.pages == [page_body(days_dir, DAY, limit=100, page=0)]
    assert server.hits == {KEY: 2}


def test_always_truncated_gives_up_in_plain_words(days_dir, clock):
    error, _ = fetch(days_dir, "always:truncated", clock, max_attempts=3)
    assert error.reason == "connection closed before the whole response arrived x3"


def test_invalid_json_is_retried(days_dir, clock):
    fetched, server = fetch(days_dir, ["invalid-json", "ok"], clock)
    assert fetched.record_count == 3 and server.hits == {KEY: 2}


def test_an_html_page_is_retried_a_few_times_then_reported(days_dir, clock):
    error, server = fetch(days_dir, "always:html", clock, bad_payload_attempts=3)
    assert error.reason == "response is not a JSON array (looks like an HTML page) x3"
    assert (error.last_status, error.attempts, server.hits) == (200, 3, {KEY: 3})


def test_a_json_object_instead_of_an_array_is_reported(days_dir, clock):
    error, _ = fetch(days_dir, "always:json-object", clock, bad_payload_attempts=2)
    assert error.reason == "response is not a JSON array (got a JSON object) x2"


def test_mixed_failures_report_the_last_kind_and_its_count(days_dir, clock):
    error, _ = fetch(days_dir, ["503", "500", "503", "500"], clock, max_attempts=4)
    assert (error.last_status, error.reason) == (500, "server error 500 x2")


def test_nothing_listening_gives_up_with_a_connection_error(clock):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The port was free a moment ago and nothing listens on it now: every connect is refused.
    client = HFClient(f"http://127.0.0.1:{port}", requests_per_second=None, sleep=clock.sleep, max_attempts=3)
    with client, pytest.raises(FetchError) as raised:
        client.fetch_day(DAY)
    error = raised.value
    assert (error.last_status, error.reason) == (None, "connection error (ConnectError) x3")


def test_fetch_error_survives_pickling(days_dir, clock):
    # Dagster moves errors between processes; the plain-words fields must come through intact.
    error, _ = fetch(days_dir, "always:503", clock, max_attempts=2)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.listing_date, copy.url, copy.last_status, copy.attempts, copy.reason, str(copy)) == (
        error.listing_date,
        error.url,
        503,
        2,
        "server error 503 x2",
        str(error),
    )
