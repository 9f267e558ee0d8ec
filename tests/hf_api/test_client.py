"""HFClient against a real local server: paging, the repeated-page guard, token handling, env."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date

import pytest

from hf_api.client import FetchedDay, HFClient
from hf_api.config import client_from_settings
from hf_api.errors import FetchError
from hf_api.rate_limit import RateLimiter
from hf_api.sample_replay import day_file
from hf_api.testing.clock import FakeClock
from hf_api.testing.fake_server import FakeHFServer
from papers_settings import Settings

DAY = date(2024, 5, 27)
EMPTY_DAY = date(2024, 5, 26)  # no file: the server answers []
TOKEN = "hf_TestSecretToken123"
# Five papers: page_size=2 gives full pages of 2 and 2 and a short page of 1.
ITEMS = [
    {"paper": {"id": "2405.00001", "upvotes": 50}, "title": "most upvoted"},
    {"paper": {"id": "2405.00002", "upvotes": 40}, "title": "second"},
    {"paper": {"id": "2405.00003", "upvotes": 30}, "title": "third, opens page 1"},
    {"paper": {"id": "2405.00004", "upvotes": 20}, "title": "fourth"},
    {"paper": {"id": "2405.00005", "upvotes": 0}, "title": "zero votes, alone on page 2"},
]


@pytest.fixture
def days_dir(tmp_path):
    day_file(tmp_path, DAY).write_text(json.dumps(ITEMS))
    return tmp_path


def client_for(server: FakeHFServer, **kwargs) -> HFClient:
    kwargs = {"requests_per_second": None, "sleep": FakeClock().sleep, **kwargs}
    return HFClient(server.base_url, **kwargs)


def page_ids(fetched: FetchedDay) -> list[list[str]]:
    return [[item["paper"]["id"] for item in json.loads(page)] for page in fetched.pages]


def test_pages_until_a_short_page(days_dir):
    with FakeHFServer(days_dir) as server, client_for(server, page_size=2) as client:
        fetched = client.fetch_day(DAY)
    assert page_ids(fetched) == [["2405.00001", "2405.00002"], ["2405.00003", "2405.00004"], ["2405.00005"]]
    assert fetched.record_count == 5
    assert [r.page for r in server.requests] == [0, 1, 2]
    assert fetched.url == f"{server.base_url}/api/daily_papers?date=2024-05-27&limit=2&p=0"
    assert fetched.listing_date == DAY
    assert fetched.fetched_at.tzinfo is UTC


def test_a_full_last_page_costs_one_empty_page_that_is_not_kept(days_dir):
    with FakeHFServer(days_dir) as server, client_for(server, page_size=5) as client:
        fetched = client.fetch_day(DAY)
    assert [r.page for r in server.requests] == [0, 1]
    assert len(fetched.pages) == 1 and fetched.record_count == 5


def test_an_empty_day_keeps_its_one_empty_page(days_dir):
    with FakeHFServer(days_dir) as server, client_for(server) as client:
        fetched = client.fetch_day(EMPTY_DAY)
    assert fetched.pages == [b"[]"]
    assert fetched.record_count == 0
    assert server.hits == {"2024-05-26": 1}


def test_server_that_ignores_p_is_stopped_after_one_repeat(days_dir):
    with FakeHFServer(days_dir, faults={"*": "always:ignore-p"}) as server, client_for(server, page_size=2) as client:
        fetched = client.fetch_day(DAY)
    # Page 1 repeats page 0, so paging stops there and the repeat is dropped.
    assert [r.page for r in server.requests] == [0, 1]
    assert page_ids(fetched) == [["2405.00001", "2405.00002"]]
    assert fetched.record_count == 2


def test_token_is_sent_but_never_shown(days_dir, caplog):
    caplog.set_level(logging.DEBUG)
    faults = {"2024-05-27": ["503", "ok"], "2024-05-28": ["404"]}
    with FakeHFServer(days_dir, faults=faults) as server, client_for(server, token=TOKEN) as client:
        client.fetch_day(DAY)
        with pytest.raises(FetchError) as raised:
            client.fetch_day(date(2024, 5, 28))
        shown = [repr(client), str(raised.value), repr(raised.value), caplog.text]
    assert [r.authorized for r in server.requests] == [True, True, True]
    assert "503" in caplog.text  # the retry was logged ...
    assert not [text for text in shown if TOKEN in text]  # ... without the token anywhere


def test_no_token_no_authorization_header(days_dir):
    with FakeHFServer(days_dir) as server, client_for(server) as client:
        client.fetch_day(DAY)
    assert [r.authorized for r in server.requests] == [False]


def test_every_request_and_retry_passes_the_rate_limiter(days_dir):
    clock = FakeClock()
    limiter = RateLimiter(2.0, clock=clock, sleep=clock.sleep)
    with (
        FakeHFServer(days_dir, faults={"2024-05-27": ["503", "ok"]}) as server,
        client_for(server, page_size=2, rate_limiter=limiter) as client,
    ):
        client.fetch_day(DAY)
    # 4 requests (a 503, then pages 0-2); the fake clock stands still between them, so each one
    # after the first waits its 0.5 s slot.
    assert len(server.requests) == 4
    assert clock.sleeps == [0.5, 0.5, 0.5]


def test_a_client_from_settings_uses_token_and_attempts(days_dir, monkeypatch):
    with FakeHFServer(days_dir, faults={"2024-05-27": "always:500"}) as server:
        monkeypatch.setenv("HF_API_BASE_URL", server.base_url + "/")
        monkeypatch.setenv("HF_TOKEN", TOKEN)
        monkeypatch.setenv("HF_MAX_ATTEMPTS", "2")
        monkeypatch.setenv("HF_REQUESTS_PER_SECOND", "0")
        with client_from_settings(Settings.from_env(), sleep=FakeClock().sleep) as client, pytest.raises(FetchError) as raised:
            client.fetch_day(DAY)
    assert raised.value.attempts == 2
    assert [r.authorized for r in server.requests] == [True, True]
