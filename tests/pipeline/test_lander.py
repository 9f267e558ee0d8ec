"""A `papers backfill`'s lander: a child process fetches and lands every day once; the runs take
their days from the raw store, report the lander's failures as their own without fetching again,
and fetch only what is left once it has ended; it stops when its parent closes its input or dies."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta

import pytest

from hf_api.client import HFClient
from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from landing.raw_store import last_failure, list_fetches
from pipeline.lander import Lander, lander_for, lander_id, take_landed

START = date(2025, 2, 3)
LOG = logging.getLogger("test")


@pytest.fixture
def served(tmp_path, monkeypatch):
    """Days served by a fake HF server whose address the lander reads from the environment."""

    def serve(count: int, faults=None):
        days = fixture_days(tmp_path / "served", count, START)
        server = FakeHFServer(tmp_path / "served", faults=faults).start()
        monkeypatch.setenv("HF_API_BASE_URL", server.base_url)
        monkeypatch.setenv("HF_REQUESTS_PER_SECOND", "0")
        monkeypatch.setenv("HF_MAX_ATTEMPTS", "2")
        monkeypatch.setenv("HF_BACKOFF_MAX_S", "0")
        started.append(server)
        return days, server

    started: list[FakeHFServer] = []
    yield serve
    for server in started:
        server.stop()


def _ended(lander: Lander, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while lander.running() and time.monotonic() < deadline:
        time.sleep(0.02)
    return not lander.running()


def test_the_lander_lands_each_day_once_and_the_runs_take_them_without_a_request(tmp_path, served, caplog):
    days, server = served(6)
    raw_dir = tmp_path / "raw"
    with Lander.start(raw_dir, days, "cli-b") as lander:
        assert lander_for("cli-b") is lander and lander_for("cli-other") is None and lander_for(None) is None
        assert lander.requests_per_second == 0  # the limit its client has (HF_REQUESTS_PER_SECOND)
        with HFClient(server.base_url, requests_per_second=0) as client, caplog.at_level(logging.INFO, logger="run"):
            first = take_landed(lander, client, raw_dir, days[:2], "run-1", logging.getLogger("run"))
            second = take_landed(lander, client, raw_dir, days[2:], "run-2", logging.getLogger("run"))
        assert _ended(lander)
    assert lander_for("cli-b") is None  # stopped: no longer found by the runs
    assert list(first.landed) == days[:2] and list(second.landed) == days[2:]
    assert not first.failures and not second.failures
    assert server.hits == {day.isoformat(): 1 for day in days}  # every day requested once, by the lander
    for day in days:
        [fetch] = list_fetches(raw_dir, day)
        assert fetch.tags == {"run_id": lander_id("cli-b"), "backfill": "cli-b"}
    lines = [record.getMessage() for record in caplog.records if record.name == "run"]
    assert [line.split(":")[0] for line in lines] == [day.isoformat() for day in days]
    assert all("landed ahead (cli-b/lander)" in line for line in lines)


def test_a_day_the_lander_cannot_fetch_fails_in_its_run_and_is_not_fetched_again(tmp_path, served):
    bad_index = 2
    bad = START + timedelta(days=bad_index)
    days, server = served(4, faults={bad.isoformat(): "always:503"})
    assert days[bad_index] == bad
    raw_dir = tmp_path / "raw"
    messages: list[str] = []
    with Lander.start(raw_dir, days, "cli-b", messages.append) as lander:
        assert _ended(lander)
        attempts = server.hits[days[bad_index].isoformat()]
        with HFClient(server.base_url, requests_per_second=0) as client:
            outcome = take_landed(lander, client, raw_dir, days, "run-1", LOG)
    assert list(outcome.landed) == [day for index, day in enumerate(days) if index != bad_index]
    assert list(outcome.failures) == [days[bad_index]] and "503" in outcome.failures[days[bad_index]]
    assert attempts == 2 and server.hits[days[bad_index].isoformat()] == attempts  # the run did not ask again
    # The client's retry warning is relayed to the command (which shows it above its progress);
    # the lander's own report of the failure is not: the run reports it.
    assert [line for line in messages if "attempt 1/2 failed" in line and bad.isoformat() in line]
    assert not [line for line in messages if "gave up" in line]
    # Recorded as the run's failure, where the backfill and its progress look for it.
    failure = last_failure(raw_dir, days[bad_index])
    assert failure is not None and failure["run_id"] == "run-1" and "503" in failure["message"]


def test_a_run_fetches_what_a_lander_that_ended_early_left(tmp_path, served):
    days, server = served(5)
    raw_dir = tmp_path / "raw"
    ended_at_once = Lander(subprocess.Popen([sys.executable, "-c", "pass"], stdin=subprocess.PIPE), "cli-b")
    assert _ended(ended_at_once)
    with HFClient(server.base_url, requests_per_second=0) as client:
        outcome = take_landed(ended_at_once, client, raw_dir, days, "run-1", LOG)
    ended_at_once.stop()
    assert list(outcome.landed) == days and not outcome.failures
    assert server.hits == {day.isoformat(): 1 for day in days}
    assert {list_fetches(raw_dir, day)[0].tags["run_id"] for day in days} == {"run-1"}


def test_the_lander_stops_when_its_parent_is_killed(tmp_path, served):
    # Every request hangs: the lander would wait for minutes if nothing stopped it.
    days, server = served(3, faults={"*": "always:hang:600"})
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from datetime import date\n"
            "from pathlib import Path\n"
            "from pipeline.lander import Lander\n"
            f"days = [date.fromisoformat(d) for d in {[d.isoformat() for d in days]!r}]\n"
            f"lander = Lander.start(Path({str(tmp_path / 'raw')!r}), days, 'cli-b')\n"
            "print(lander._process.pid, flush=True)\n"
            "time.sleep(600)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    child = int(parent.stdout.readline())
    deadline = time.monotonic() + 10
    while not server.instruments.in_flight and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 15
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child), "the lander outlived the command that started it"
    assert not any((tmp_path / "raw").glob("*/*/manifest.json"))  # nothing landed, nothing half-landed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A dead child not yet reaped by anyone is a zombie: not alive.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(")")[-1].split()[0] != "Z"
