"""Backfills launched the way the Dagster UI launches them, against `dagster dev` and a fake HF.

One `dagster dev` (webserver, daemon, code server) and one fake HF server serve the whole module;
each test works on its own days of the served range, so the tests do not depend on each other's
data. Backfills go through the webserver's GraphQL `launchPartitionBackfill` with an asset
selection and partition names: the call the asset page's Materialize dialog makes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from pipeline.fetch_days import FETCH_THREADS
from tests.e2e.dagster_harness import (
    REPO_ROOT,
    SHIPPED_DAGSTER_YAML,
    DagsterDev,
    processes_holding,
    published_counts,
    published_papers,
    search_covers_every_paper,
    served_papers,
    wait_until,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]
FIRST = date(2025, 3, 1)
SERVED_DAYS = 50
# Fast client retries: the fake's faults are short and CI should not wait minutes.
CLIENT_ENV = {"HF_MAX_ATTEMPTS": "4", "HF_BACKOFF_MAX_S": "0.3", "HF_REQUESTS_PER_SECOND": "0"}


def days(first: int, count: int) -> list[str]:
    """`count` served days starting at served day number `first`."""
    return [(FIRST + timedelta(days=first + i)).isoformat() for i in range(count)]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    days_dir = tmp_path_factory.mktemp("served")
    fixture_days(days_dir, SERVED_DAYS, FIRST)
    return days_dir


@pytest.fixture(scope="module")
def hf(served):
    with FakeHFServer(served) as server:
        yield server


def quick_monitoring_profile(folder) -> Path:
    """The shipped dagster.yaml with run monitoring polling every 5 s and freeing a crashed run's pool
    slots 5 s after it ended (15 s and 15 s shipped): the SIGKILL test's retry waits for that slot,
    up to 30 s of this file's minutes. Every other setting is the shipped one (but the run queue's
    interval, 1 s on every test instance: tests/e2e/dagster_harness.py's QUICK_QUEUE_S)."""
    profile = yaml.safe_load(SHIPPED_DAGSTER_YAML.read_text())
    profile["run_monitoring"].update(poll_interval_seconds=5, free_slots_after_run_end_seconds=5)
    path = folder / "dagster.yaml"
    path.write_text(yaml.safe_dump(profile))
    return path


@pytest.fixture(scope="module")
def dagster(tmp_path_factory, hf):
    home = tmp_path_factory.mktemp("papers_home")
    profile = quick_monitoring_profile(tmp_path_factory.mktemp("profile"))
    with DagsterDev(home, env={"HF_API_BASE_URL": hf.base_url, **CLIENT_ENV}, profile=profile) as dev:
        yield dev


@pytest.fixture
def fresh_faults(hf):
    """No faults and cleared instruments before and after each test."""
    hf.reset_faults()
    hf.reset_instruments()
    yield hf
    hf.reset_faults()


def in_window(papers: dict, window: list[str]) -> dict:
    return {paper: row for paper, row in papers.items() if row[0] in window}


def assert_published_exactly(dagster: DagsterDev, served_dir, window: list[str], loaded: list[str]):
    """Within `window`, the published warehouse holds exactly the served papers of `loaded`."""
    expected = served_papers(served_dir, loaded)
    assert in_window(published_papers(dagster.papers_home), window) == expected


def assert_each_day_shows_its_own_papers(dagster: DagsterDev, run_days: list[str]) -> None:
    """On the asset page, each day of a one-run backfill shows its own papers (count and a preview of
    them); the whole table's count only on the run's last day."""
    shown = dagster.partition_metadata("papers", run_days)
    published = published_papers(dagster.papers_home)
    for day in run_days:
        papers_of_day = [paper for paper, (listing_date, _) in published.items() if listing_date == day]
        assert shown[day]["dagster/row_count"] == len(papers_of_day) > 0
        assert any(paper in shown[day]["preview"] for paper in papers_of_day)
        assert ("table_rows" in shown[day]) is (day == run_days[-1])


def test_the_asset_page_launch_of_the_ingest_assets_is_accepted(dagster, fresh_faults):
    """The first thing a user does; it fails fast and plainly if Dagster refuses the selection."""
    backfill = dagster.launch_backfill(days(49, 1))
    # Not waited for: the later tests wait for their own backfills, which queue behind this one.
    assert dagster.backfill(backfill)["status"] in {"REQUESTED", "COMPLETED_SUCCESS"}


def test_a_ui_backfill_loads_exactly_those_days_and_a_relaunch_adds_no_duplicates(dagster, served, fresh_faults):
    window = days(0, 10)
    first = dagster.wait_for_backfill(dagster.launch_backfill(window))
    assert first["status"] == "COMPLETED_SUCCESS"
    assert_published_exactly(dagster, served, window, window)
    statuses = dagster.partition_statuses("published_warehouse")
    assert {day: statuses.get(day) for day in window} == {day: "MATERIALIZED" for day in window}
    assert_each_day_shows_its_own_papers(dagster, window)
    # Once no load is running or queued, the automation sensor rebuilds the search tables once.
    wait_until(
        lambda: search_covers_every_paper(dagster.papers_home), 240, "the search_tables run after the backfill", interval=2
    )
    before = published_counts(dagster.papers_home)

    again = dagster.wait_for_backfill(dagster.launch_backfill(window))
    assert again["status"] == "COMPLETED_SUCCESS"
    assert_published_exactly(dagster, served, window, window)
    after = published_counts(dagster.papers_home)
    papers_in_window = len(served_papers(served, window))
    # The relaunch re-fetches: one more vote observation per paper, every other table unchanged.
    assert after == {**before, "votes": before["votes"] + papers_in_window}


def test_backfills_under_429_503_and_slow_bodies_complete_within_the_pool_limit(dagster, served, fresh_faults):
    hf = fresh_faults
    window_a, window_b = days(10, 8), days(18, 5)
    faults = {
        window_a[0]: ["429:retry-after=1", "ok"],  # rate limited, with Retry-After
        window_a[1]: ["429", "429", "ok"],  # rate limited, no hint: backoff
        window_a[2]: ["503", "503", "ok"],  # server errors
        window_a[3]: ["slow:1"],  # a body that stalls halfway
        window_b[0]: ["429:ratelimit-t=1", "503", "ok"],  # HF's RateLimit header, then a 503
        window_b[2]: ["slow:1", "429:retry-after=1"],  # slow first answer, nothing wrong with it
    }
    hf.reset_faults(faults)
    # Two backfills at once: two runs may run concurrently, the pool must still serialise HF.
    launched = [dagster.launch_backfill(window_a), dagster.launch_backfill(window_b)]
    results = [dagster.wait_for_backfill(backfill) for backfill in launched]

    assert [r["status"] for r in results] == ["COMPLETED_SUCCESS", "COMPLETED_SUCCESS"]
    both = window_a + window_b
    assert_published_exactly(dagster, served, both, both)
    statuses = [r.status for r in hf.requests]
    assert statuses.count(429) >= 3 and statuses.count(503) >= 3
    pool_limit = yaml.safe_load(SHIPPED_DAGSTER_YAML.read_text())["concurrency"]["pools"]["default_limit"]
    # One fetching step at a time, each with at most FETCH_THREADS days in flight.
    assert 1 <= hf.max_in_flight <= pool_limit * FETCH_THREADS


def test_a_day_that_always_fails_fails_alone_and_a_rerun_after_recovery_completes(dagster, served, fresh_faults):
    hf = fresh_faults
    window = days(23, 10)
    bad = window[4]
    hf.reset_faults({bad: "always:503"})
    backfill = dagster.launch_backfill(window)
    result = dagster.wait_for_backfill(backfill)

    good = [day for day in window if day != bad]
    assert result["status"] in {"COMPLETED_FAILED", "FAILED"}
    statuses = dagster.partition_statuses("published_warehouse")
    assert {day: statuses.get(day) for day in window} == {day: ("FAILED" if day == bad else "MATERIALIZED") for day in window}
    assert_published_exactly(dagster, served, window, good)
    assert_each_day_shows_its_own_papers(dagster, good)
    failed_run = next(r for r in dagster.runs(backfill) if r["status"] == "FAILURE")
    messages = "\n".join(dagster.run_failure_messages(failed_run["runId"]))
    assert f"{bad}:" in messages and "503" in messages
    assert f"--start {bad} --end {bad}" in messages

    hf.reset_faults()
    rerun = dagster.wait_for_backfill(dagster.launch_backfill([bad]))
    assert rerun["status"] == "COMPLETED_SUCCESS"
    assert_published_exactly(dagster, served, window, window)
    assert dagster.partition_statuses("published_warehouse")[bad] == "MATERIALIZED"


def start_reader(mode: str, dagster: DagsterDev, tmp_path):
    out, stop = tmp_path / f"{mode}.json", tmp_path / f"{mode}.stop"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.e2e.reader_process",
            mode,
            str(dagster.papers_home / "warehouse.duckdb"),
            str(out),
            str(stop),
        ],
        cwd=REPO_ROOT,
    )
    return proc, out, stop


def stop_reader(reader) -> dict:
    proc, out, stop = reader
    stop.touch()
    proc.wait(timeout=60)
    return json.loads(out.read_text())


def kill_the_run_mid_load(dagster: DagsterDev) -> list[int]:
    """SIGKILL the run worker while its step holds the working warehouse (the steps run in the run
    worker's own process: orchestration/definitions.py's executor)."""
    working = dagster.papers_home / "work" / "warehouse.duckdb"
    worker = wait_until(
        lambda: processes_holding(working, dagster.descendants()),
        300,
        "a run worker holding the working warehouse",
        interval=0.02,
    )[0]
    # The code server starts each run worker (a multiprocessing child of `dagster api grpc`).
    starter = " ".join(worker.parent().cmdline())
    assert "grpc" in starter, f"not a run worker: {worker.cmdline()}, started by {starter}"
    os.kill(worker.pid, signal.SIGKILL)
    return [worker.pid]


def test_sigkill_mid_load_keeps_the_published_warehouse_whole_and_the_retry_completes(dagster, served, fresh_faults, tmp_path):
    baseline = days(33, 2)
    if not (dagster.papers_home / "warehouse.duckdb").exists():
        assert dagster.wait_for_backfill(dagster.launch_backfill(baseline))["status"] == "COMPLETED_SUCCESS"
    # The earlier backfills are followed by a search rebuild (automation sensor). Let it finish first:
    # this test kills whichever step holds the working warehouse, and that must be this backfill's.
    wait_until(
        lambda: search_covers_every_paper(dagster.papers_home) and not dagster.active_runs(),
        300,
        "the search rebuild after the earlier backfills",
        interval=2,
    )
    published = dagster.papers_home / "warehouse.duckdb"
    readers = [start_reader(mode, dagster, tmp_path) for mode in ("hold", "poll")]
    before = published_papers(dagster.papers_home)
    before_inode = published.stat().st_ino

    window = days(35, 15)
    backfill = dagster.launch_backfill(window)
    killed = kill_the_run_mid_load(dagster)
    # Nothing was swapped in: the published file is the same file, whole and readable.
    assert published.stat().st_ino == before_inode
    assert published_papers(dagster.papers_home) == before
    wait_until(
        lambda: any(r["status"] == "FAILURE" for r in dagster.runs(backfill)),
        120,
        "the code server to mark the killed run failed",
    )

    result = dagster.wait_for_backfill(backfill)
    # The killed run is tagged dagster/will_retry; under load the backfill daemon can end the
    # backfill (COMPLETED_FAILED) before the retry daemon launches that retry, so wait for it.
    wait_until(
        lambda: any(r["tags"].get("dagster/retry_number") for r in dagster.runs(backfill)),
        180,
        "the run retry of the killed run",
        interval=2,
    )
    wait_until(lambda: not dagster.active_runs(), 300, "the run retry to end", interval=2)
    runs = dagster.runs(backfill)
    retries = [r for r in runs if r["tags"].get("dagster/retry_number")]
    if not any(r["status"] == "SUCCESS" for r in runs):
        # The run retry did not complete the range: a user's rerun must.
        assert dagster.wait_for_backfill(dagster.launch_backfill(window))["status"] == "COMPLETED_SUCCESS"
    seen = [stop_reader(reader) for reader in readers]

    assert killed and retries, f"expected a run retry after the kill; runs: {runs}, {result}"
    assert_published_exactly(dagster, served, window, window)
    for look in seen:
        assert look["errors"] == []
    served_slots = {}
    for day, slots in served_papers(served, days(0, SERVED_DAYS)).values():
        papers, total = served_slots.get(day, (0, 0))
        served_slots[day] = (papers + 1, total + slots)
    for look in seen:
        for snapshot in look["snapshots"]:
            for day, papers, slots in snapshot:
                assert (papers, slots) == served_slots[day], f"half of {day} in a snapshot"
    # The held connection keeps its snapshot; a fresh connection sees the new days.
    assert set(window) <= {row[0] for row in seen[1]["snapshots"][-1]}
