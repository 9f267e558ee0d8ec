"""The fake HF server itself: fault scripts, instruments, control endpoints, the standalone
process, and fixture_days."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from datetime import date

import httpx
import pytest

from hf_api.sample_replay import BUNDLED_SAMPLE_DIR, day_file, make_replay_app, recorded_dates
from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fault_app import FaultInjector
from hf_api.testing.faults import FaultPlan, parse_step
from hf_api.testing.fixture_days import fixture_days
from tests.conftest import REPO_ROOT

URL = "/api/daily_papers"


def get(server: FakeHFServer, day: str, **params) -> httpx.Response:
    return httpx.get(server.base_url + URL, params={"date": day, **params}, timeout=5)


def test_a_script_is_consumed_in_order_then_ok():
    faults = {"2024-05-27": ["429:retry-after=1", "503", "404"]}
    with FakeHFServer(faults=faults) as server:
        answers = [get(server, "2024-05-27") for _ in range(4)]
    assert [r.status_code for r in answers] == [429, 503, 404, 200]
    assert answers[0].headers["retry-after"] == "1"
    assert [r.fault for r in server.requests] == ["429:retry-after=1", "503", "404", "ok"]


def test_always_applies_to_every_request_and_star_to_other_dates():
    faults = {"2024-12-25": "always:502", "*": ["429:ratelimit-t=3"]}
    with FakeHFServer(faults=faults) as server:
        always = [get(server, "2024-12-25").status_code for _ in range(3)]
        other = get(server, "2025-01-22")
    assert always == [502, 502, 502]
    assert other.status_code == 429 and other.headers["ratelimit"] == '"api";r=0;t=3'


def test_retry_after_date_is_an_http_date():
    with FakeHFServer(faults={"2024-05-27": ["503:retry-after-date=60"]}) as server:
        response = get(server, "2024-05-27")
    assert response.headers["retry-after"].endswith(" GMT")


def test_truncated_announces_more_than_it_sends():
    with FakeHFServer(faults={"2024-05-27": ["truncated"]}) as server, pytest.raises(httpx.RemoteProtocolError):
        get(server, "2024-05-27")


def test_a_request_ends_at_its_last_chunk_not_when_the_server_closes_it():
    # What werkzeug does under load: the client has the whole body and sends its next request
    # before the server thread closes the first response. A serial client is still serial.
    injector = FaultInjector(make_replay_app(BUNDLED_SAMPLE_DIR), FaultPlan(None), threading.Event())

    def request() -> dict:
        return {"PATH_INFO": URL, "QUERY_STRING": "date=2024-05-27", "REQUEST_METHOD": "GET"}

    first = injector(request(), lambda *args: None)
    assert json.loads(next(first))  # the whole body, in one chunk; the response is not closed yet
    assert b"".join(injector(request(), lambda *args: None))
    assert list(first) == []
    assert injector.instruments.max_in_flight == 1
    assert injector.instruments.in_flight == 0


def test_a_request_still_sending_its_body_overlaps_the_next_one():
    injector = FaultInjector(make_replay_app(BUNDLED_SAMPLE_DIR), FaultPlan({"2024-05-27": ["slow:0", "ok"]}), threading.Event())
    environ = {"PATH_INFO": URL, "QUERY_STRING": "date=2024-05-27", "REQUEST_METHOD": "GET"}
    first = injector(dict(environ), lambda *args: None)
    next(first)  # the first half of the slow body; the rest is still to come
    assert b"".join(injector(dict(environ), lambda *args: None))
    assert injector.instruments.max_in_flight == 2
    list(first)


@pytest.mark.parametrize(
    ("step", "content_type", "prefix"),
    [("html", "text/html", b"<!DOCTYPE html>"), ("json-object", "application/json", b"{")],
)
def test_wrong_200_bodies(step, content_type, prefix):
    with FakeHFServer(faults={"2024-05-27": [step]}) as server:
        response = get(server, "2024-05-27")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(content_type)
    assert response.content.startswith(prefix)


def test_ignore_p_serves_page_zero_for_any_page():
    with FakeHFServer(faults={"*": "always:ignore-p"}) as server:
        first, third = (get(server, "2024-05-27", limit=2, p=p).json() for p in (0, 2))
    assert first == third and len(first) == 2


def wait_until(condition, limit_s: float = 10.0) -> None:
    done = threading.Event()
    for _ in range(int(limit_s / 0.01)):
        if condition():
            return
        done.wait(0.01)
    raise AssertionError("condition not reached")


def test_instruments_count_hits_authorization_and_concurrency():
    # Three requests that hang until released: all three are in flight together.
    faults = {d: ["hang:30"] for d in ("2024-05-27", "2024-12-25", "2025-01-22")}
    with FakeHFServer(faults=faults) as server:
        threads = [threading.Thread(target=get, args=(server, d)) for d in faults]
        for thread in threads:
            thread.start()
        wait_until(lambda: server.instruments.in_flight == 3)
        server.release_hangs()
        for thread in threads:
            thread.join()
        httpx.get(server.base_url + URL, params={"date": "2024-05-27"}, headers={"Authorization": "Bearer x"})
    assert server.max_in_flight == 3
    assert server.instruments.in_flight == 0
    assert server.hits == {"2024-05-27": 2, "2024-12-25": 1, "2025-01-22": 1}
    assert [r.authorized for r in server.requests] == [False, False, False, True]


def test_a_request_the_client_has_whole_is_recorded_once_stop_returns(monkeypatch):
    # The server records a request when its response closes, after the last byte is written; under
    # load that thread can lag the client, which already has the whole body (Content-Length). Here
    # it lags by 0.5 s on purpose: stop() must wait for it, or `requests` misses the last call.
    answer = FaultInjector._answer

    def lagging_answer(self, *args):
        yield from answer(self, *args)
        time.sleep(0.5)

    monkeypatch.setattr(FaultInjector, "_answer", lagging_answer)
    with FakeHFServer() as server:
        assert get(server, "2024-05-27").status_code == 200
    assert [(r.date, r.status) for r in server.requests] == [("2024-05-27", 200)]
    assert server.instruments.in_flight == 0


def test_sequential_requests_never_overlap_and_reset_clears():
    with FakeHFServer(faults={"2024-05-27": "always:503"}) as server:
        for _ in range(3):
            get(server, "2024-05-27")
        server.reset_faults()
        healthy = get(server, "2024-05-27").status_code
        max_in_flight = server.max_in_flight
        server.reset_instruments()
        after_reset = (server.requests, server.hits)
    assert (max_in_flight, healthy, after_reset) == (1, 200, ([], {}))


@pytest.mark.parametrize(
    ("faults", "message"),
    [
        ({"2024-05-27": ["429:retry=1"]}, "unknown option 'retry=1'"),
        ({"2024-05-27": ["700"]}, "expected ok, a status 400-599"),
        ({"2024-05-27": ["slow:fast"]}, "'fast' is not a number"),
        ({"2024-05-27": "503"}, "must be 'always:<step>'"),
        ({"27/05/2024": ["503"]}, "expected YYYY-MM-DD or '\\*'"),
    ],
)
def test_bad_fault_plans_say_what_is_wrong(faults, message):
    with pytest.raises(ValueError, match=message):
        FaultPlan(faults)


def test_parse_step_defaults():
    assert (parse_step("slow").seconds, parse_step("hang").seconds) == (0.5, 30.0)
    assert parse_step("503:retry-after=2,ratelimit-t=9").ratelimit_t == 9


def test_parse_step_hostile_defaults():
    assert parse_step("drip").seconds == 1.0
    assert (parse_step("gzip-bomb").megabytes, parse_step("big:3").megabytes) == (1024.0, 3.0)
    assert parse_step("endless-pages").kind == "endless-pages"


def test_hostile_bodies_are_what_they_say():
    # 2020-01-01 is not recorded: its body is `[]`, dripped in two steps.
    faults = {"2024-05-27": ["gzip-bomb:3", "big:2", "endless-pages"], "2020-01-01": ["drip:0.01"]}
    with FakeHFServer(faults=faults) as server:
        bomb = get(server, "2024-05-27")
        big = get(server, "2024-05-27")
        pages = get(server, "2024-05-27", limit=7, p=41)
        dripped = get(server, "2020-01-01")
        whole = get(server, "2020-01-01")
    assert bomb.headers["content-encoding"] == "gzip"
    assert int(bomb.headers.get("content-length", 0)) < 64 * 1024 < len(bomb.content)
    assert len(bomb.content) == 3 * 1024 * 1024 + 2 and json.loads(bomb.content) == []
    assert len(big.content) == 2 * 1024 * 1024 and json.loads(big.content) == []
    assert [item["paper"]["id"] for item in pages.json()][-1] == "2024-05-27-p41-6"
    assert dripped.content == whole.content and server.requests[3].fault == "drip:0.01"


def test_an_endless_body_ends_when_the_server_stops():
    server = FakeHFServer(faults={"*": "always:endless"}).start()
    with httpx.stream("GET", server.base_url + URL, params={"date": "2024-05-27"}) as response:
        received = 0
        for chunk in response.iter_raw():
            received += len(chunk)
            if received > 4 * 1024 * 1024:
                break
    server.stop()
    assert received > 4 * 1024 * 1024


def test_standalone_process_serves_and_reports(tmp_path):
    faults_file = tmp_path / "faults.json"
    faults_file.write_text(json.dumps({"2024-05-27": ["503"]}))
    process = subprocess.Popen(
        [sys.executable, "-m", "hf_api.testing.fake_server", "--port", "0", "--faults", str(faults_file)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline().strip()
        assert line.startswith("FAKE_HF_SERVER_URL=http://127.0.0.1:")
        base = line.split("=", 1)[1]
        codes = [httpx.get(base + URL, params={"date": "2024-05-27"}).status_code for _ in "ab"]
        stats = httpx.get(base + "/_fake/stats").json()
        httpx.post(base + "/_fake/faults", json={"2024-12-25": "always:500"})
        replaced = httpx.get(base + URL, params={"date": "2024-12-25"}).status_code
        httpx.post(base + "/_fake/reset")
        after_reset = httpx.get(base + "/_fake/stats").json()["hits"]
    finally:
        process.send_signal(signal.SIGTERM)
        exit_code = process.wait(timeout=10)
    assert codes == [503, 200]
    assert stats["hits"] == {"2024-05-27": 2} and len(stats["requests"]) == 2
    assert (replaced, after_reset, exit_code) == (500, {}, 0)


def test_fixture_days_cycles_the_real_days_with_unique_ids(tmp_path):
    written = fixture_days(tmp_path, 10, date(2025, 3, 1))
    sources = [json.loads(day_file(BUNDLED_SAMPLE_DIR, d).read_text()) for d in recorded_dates(BUNDLED_SAMPLE_DIR)]
    days = {d: json.loads(day_file(tmp_path, d).read_text()) for d in written}
    assert recorded_dates(tmp_path) == written and written[-1] == date(2025, 3, 10)
    # Day i copies source i mod 4, so item counts follow the sources' counts in turn.
    assert [len(items) for items in days.values()] == [len(sources[i % 4]) for i in range(10)]
    ids = [item["paper"]["id"] for items in days.values() for item in items]
    assert len(ids) == len(set(ids))
    stamps = [i["paper"]["submittedOnDailyAt"] for items in days.values() for i in items if "submittedOnDailyAt" in i["paper"]]
    assert stamps and all(s[:10] in {d.isoformat() for d in written} for s in stamps)


def test_fixture_days_rejects_impossible_counts(tmp_path):
    with pytest.raises(ValueError, match="n_days must be between 1 and 999"):
        fixture_days(tmp_path, 0, date(2025, 3, 1))
