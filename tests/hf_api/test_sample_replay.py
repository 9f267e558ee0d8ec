"""The replay app: verbatim days, zero-based paging, empty days, HF-like 400s, bundled sample."""

from __future__ import annotations

import json
from datetime import date

import httpx
import pytest

from hf_api.config import client_from_settings
from hf_api.sample_replay import (
    BUNDLED_SAMPLE_DIR,
    bundled_sample_dates,
    day_file,
    make_replay_app,
)
from papers_settings import Settings

DAY = date(2024, 5, 27)
# Seven papers: with limit=3 they make pages of 3, 3 and a short last page of 1.
ITEMS = [
    {"paper": {"id": "2405.00001"}, "title": "one"},
    {"paper": {"id": "2405.00002"}, "title": "two"},
    {"paper": {"id": "2405.00003"}, "title": "three"},
    {"paper": {"id": "2405.00004"}, "title": "four"},
    {"paper": {"id": "2405.00005"}, "title": "five"},
    {"paper": {"id": "2405.00006"}, "title": "six"},
    {"paper": {"id": "2405.00007"}, "title": "seven, alone on the last page"},
]
# Indented on purpose: an unpaged answer must keep the file's own bytes, whitespace included.
RAW = json.dumps(ITEMS, indent=4).encode()


@pytest.fixture
def replay(tmp_path) -> httpx.Client:
    day_file(tmp_path, DAY).write_bytes(RAW)
    client = httpx.Client(transport=httpx.WSGITransport(app=make_replay_app(tmp_path)), base_url="http://replay.local")
    yield client
    client.close()


def ids(response: httpx.Response) -> list[str]:
    return [item["paper"]["id"] for item in response.json()]


def test_unpaged_day_is_served_verbatim(replay):
    response = replay.get("/api/daily_papers", params={"date": "2024-05-27"})
    assert response.status_code == 200
    assert response.content == RAW


def test_paging_is_zero_based_and_ends_with_a_short_then_empty_page(replay):
    pages = [ids(replay.get("/api/daily_papers", params={"date": "2024-05-27", "limit": 3, "p": p})) for p in range(4)]
    assert pages == [
        ["2405.00001", "2405.00002", "2405.00003"],
        ["2405.00004", "2405.00005", "2405.00006"],
        ["2405.00007"],
        [],
    ]


def test_a_rewritten_day_file_is_served_anew_and_a_day_is_parsed_once_for_its_pages(replay, tmp_path, monkeypatch):
    from hf_api import sample_replay

    page = {"date": "2024-05-27", "limit": 3, "p": 1}
    assert ids(replay.get("/api/daily_papers", params=page)) == ["2405.00004", "2405.00005", "2405.00006"]
    parsed = []
    real_loads = sample_replay.orjson.loads
    monkeypatch.setattr(sample_replay.orjson, "loads", lambda raw: parsed.append(1) or real_loads(raw))
    for p in range(4):
        replay.get("/api/daily_papers", params={**page, "p": p})
    assert parsed == [], "the day's pages were parsed when it was first asked for"
    day_file(tmp_path, DAY).write_bytes(json.dumps(ITEMS[3:]).encode())
    assert ids(replay.get("/api/daily_papers", params=page)) == ["2405.00007"]
    assert parsed == [1]


def test_a_date_without_a_file_is_an_empty_list(replay):
    response = replay.get("/api/daily_papers", params={"date": "2024-05-28"})
    assert response.status_code == 200
    assert response.json() == []


def test_no_date_means_the_latest_recorded_day(replay):
    assert ids(replay.get("/api/daily_papers"))[0] == "2405.00001"


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"date": "27-05-2024"}, "27-05-2024"),
        ({"date": "2024-02-30"}, "2024-02-30"),
        ({"date": "2024-05-27", "limit": "0"}, "limit"),
        ({"date": "2024-05-27", "p": "-1"}, "'p'"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_problem(replay, params, named):
    response = replay.get("/api/daily_papers", params=params)
    assert response.status_code == 400
    assert named in response.json()["error"]


def test_other_paths_are_404(replay):
    assert replay.get("/api/papers/2405.00001").status_code == 404


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope"):
        make_replay_app(tmp_path / "nope")


def test_bundled_sample_dates_are_the_four_recorded_days():
    assert bundled_sample_dates() == [date(2024, 5, 27), date(2024, 12, 25), date(2025, 1, 22), date(2025, 12, 25)]
    assert all(day_file(BUNDLED_SAMPLE_DIR, d).exists() for d in bundled_sample_dates())


def test_client_in_sample_mode_reads_the_bundled_days_offline(monkeypatch):
    monkeypatch.setenv("HF_API_BASE_URL", "sample")
    expected = len(json.loads(day_file(BUNDLED_SAMPLE_DIR, DAY).read_bytes()))
    with client_from_settings(Settings.from_env(), page_size=5) as client:
        fetched = client.fetch_day(DAY)
    assert fetched.record_count == expected
    # 13 items in pages of 5: 5 + 5 + 3.
    assert len(fetched.pages) == -(-expected // 5)
    assert fetched.url.endswith("/api/daily_papers?date=2024-05-27&limit=5&p=0")


def test_sample_as_an_override_needs_no_environment(monkeypatch):
    monkeypatch.delenv("HF_API_BASE_URL", raising=False)
    # The Dagster resource passes base_url="sample" as an override, with a rate limit set.
    with client_from_settings(Settings.from_env(), base_url="sample", requests_per_second=2.0) as client:
        fetched = client.fetch_day(date(2025, 1, 22))
    expected = len(json.loads(day_file(BUNDLED_SAMPLE_DIR, date(2025, 1, 22)).read_bytes()))
    assert fetched.record_count == expected
    assert client.rate_limiter.interval_s == 0  # the local replay is not throttled
