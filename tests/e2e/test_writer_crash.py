"""A killed or interrupted `papers backfill` never blocks the next writer (issue 17, item 1).

Real `papers` processes against the local fake HF server: SIGKILL mid-run, Ctrl-C (SIGINT) mid-run,
SIGTERM while waiting for the writer slot.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from unittest import mock

import dagster as dg
import pytest

from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from tests.e2e.cli_helpers import PAPERS, REPO_ROOT, papers_env, published_rows, run_papers
from tests.e2e.test_cli_backfill import expected_rows, loaded_rows, table_snapshot

pytestmark = pytest.mark.e2e
START = date(2025, 3, 3)
N_DAYS = 8
END = START + timedelta(days=N_DAYS - 1)
# Every answer pauses halfway through its body: the fetch phase of a run lasts a few seconds,
# long enough to kill or interrupt the process in the middle of it.
SLOW = {"*": "always:slow:0.6"}
# Slower, so that a second `papers` process has time to start while the first still fetches: the
# first days land within seconds, then each day takes 20 s (under the 30 s read timeout), leaving
# the second process over a minute to start even on a loaded machine (at 4 s a day it sometimes
# started after the first had finished, and there was nothing left to interrupt).
SLOWER = {**{str(START + timedelta(days=i)): "always:slow:4" for i in range(3)}, "*": "always:slow:20"}


def start_papers(args: list[str], home, base_url: str, log_path) -> subprocess.Popen:
    """`papers ARGS` in the background, its output into `log_path` (SIGINT not ignored)."""
    with open(log_path, "w") as log:  # the child writes to its own copy of the descriptor
        return subprocess.Popen(
            [str(PAPERS), *args], env=papers_env(home, base_url), cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT
        )


def wait_until(condition, timeout: float = 120, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def days_landed(home) -> int:
    raw = home / "raw" / "daily_papers"
    return sum(1 for day in raw.iterdir() if any(p for p in day.iterdir() if not p.name.startswith("."))) if raw.is_dir() else 0


def claim_files(home) -> list:
    folder = home / "dagster" / "writer_claims"
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


def stop_and_time(process: subprocess.Popen, sig: int, timeout: float = 30) -> tuple[int, float]:
    started = time.monotonic()
    process.send_signal(sig)
    code = process.wait(timeout=timeout)
    return code, time.monotonic() - started


@contextmanager
def instance_of(home) -> Iterator[dg.DagsterInstance]:
    """The Dagster instance the `papers` processes of `home` record their runs in."""
    with mock.patch.dict(os.environ, {"DAGSTER_HOME": str(home / "dagster")}), dg.DagsterInstance.get() as instance:
        yield instance


def runs(home) -> dict[str, dg.DagsterRun]:
    with instance_of(home) as instance:
        return {run.run_id: run for run in instance.get_runs()}


def run_started(home) -> bool:
    """Whether a run has claimed the writer and Dagster shows it started."""
    return bool(claim_files(home)) and any(run.status == dg.DagsterRunStatus.STARTED for run in runs(home).values())


def step_started(home, run_id: str) -> bool:
    """Whether the run's step has started (its event log holds a STEP_START)."""
    with instance_of(home) as instance:
        return bool(instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.STEP_START).records)


def step_failures(home, run_id: str) -> list[str]:
    """The messages of the run's failed steps, as its event log (the Dagster UI) holds them."""
    with instance_of(home) as instance:
        records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.STEP_FAILURE).records
        return [r.event_log_entry.dagster_event.step_failure_data.error.message for r in records]


def writer_slot_holders(home) -> set[str]:
    """Runs that hold or wait for the writer pool slot."""
    with instance_of(home) as instance:
        info = instance.event_log_storage.get_concurrency_info("duckdb_writer")
        return {slot.run_id for slot in info.claimed_slots} | {s.run_id for s in info.pending_steps}


@pytest.fixture
def served(tmp_path):
    days_dir = tmp_path / "served"
    return days_dir, fixture_days(days_dir, N_DAYS, START)


def test_a_sigkilled_backfill_and_a_leftover_staging_folder_do_not_block_the_next_one(tmp_path, served):
    days_dir, days = served
    home = tmp_path / "home"
    args = ["backfill", "--start", str(START), "--end", str(END)]
    with FakeHFServer(days_dir, faults=SLOW) as server:
        killed = start_papers(args, home, server.base_url, tmp_path / "killed.log")
        try:
            # The lander starts before the run (pipeline/lander.py): wait for the run to be writing too.
            wait_until(lambda: days_landed(home) >= 2 and run_started(home), what="two days landed, the run started")
        finally:
            killed.send_signal(signal.SIGKILL)
            killed.wait(timeout=30)
        [dead_run] = claim_files(home)
        assert runs(home)[dead_run].status == dg.DagsterRunStatus.STARTED
        assert writer_slot_holders(home) == {dead_run}
        # What a kill while landing a fetch leaves: a hidden staging folder with an empty manifest.
        staging = home / "raw" / "daily_papers" / str(days[1]) / ".staging-0123456789abcdef"
        staging.mkdir(parents=True, exist_ok=True)
        (staging / "manifest.json").write_text("")

        server.reset_faults()
        again = run_papers(args, home, server.base_url, timeout=300)

    assert again.returncode == 0, again.output
    recovered = [line for line in again.output.splitlines() if "Recovered" in line]
    assert len(recovered) == 1, again.output
    assert dead_run in recovered[0] and f"pid {killed.pid}" in recovered[0] and "freed" in recovered[0]
    assert loaded_rows(home) == expected_rows(days_dir, days)
    assert runs(home)[dead_run].status == dg.DagsterRunStatus.FAILURE
    assert writer_slot_holders(home) == set() and claim_files(home) == []


def test_ctrl_c_stops_a_running_backfill_and_sigterm_stops_one_waiting_for_the_writer(tmp_path, served):
    days_dir, days = served
    home = tmp_path / "home"
    with FakeHFServer(days_dir) as server:
        first = run_papers(["backfill", "--start", str(START), "--end", str(START)], home, server.base_url)
        assert first.returncode == 0, first.output
        before = table_snapshot(home)

        server.reset_faults(SLOWER)
        running = start_papers(
            ["backfill", "--start", str(START), "--end", str(END)], home, server.base_url, tmp_path / "running.log"
        )
        waiting = None
        try:
            # The lander lands days before the run starts (pipeline/lander.py): wait for its step too.
            wait_until(
                lambda: len(claim_files(home)) == 1 and days_landed(home) >= 2 and step_started(home, claim_files(home)[0]),
                what="the first backfill's step running",
            )
            [running_run] = claim_files(home)
            waiting = start_papers(
                ["backfill", "--start", str(START), "--end", str(START)], home, server.base_url, tmp_path / "waiting.log"
            )
            wait_until(
                lambda: "Waiting for the duckdb_writer slot" in (tmp_path / "waiting.log").read_text(),
                what="the second backfill waiting",
            )
            waiting_code, waiting_took = stop_and_time(waiting, signal.SIGTERM)
            running_code, running_took = stop_and_time(running, signal.SIGINT)
        finally:
            for process in (running, waiting):
                if process is not None and process.poll() is None:
                    process.kill()

        waiting_log = (tmp_path / "waiting.log").read_text()
        running_log = (tmp_path / "running.log").read_text()
        assert running_run in waiting_log  # it said whom it waits for
        assert (waiting_code, running_code) == (130, 130), (waiting_log, running_log)
        # "Within seconds": a signal interrupts a fetch's pause, a DuckDB statement ends first.
        assert waiting_took < 10 and running_took < 10, (waiting_took, running_took)
        # Stopped by our handler inside the step (it still fetched), not between two steps.
        assert f"Stopped by SIGINT: run {running_run} is marked failed" in running_log
        [step_failure] = step_failures(home, running_run)
        assert "Interrupted by SIGINT: the step stopped" in step_failure
        assert "Stopped (Ctrl-C or SIGTERM) while no run was writing" in waiting_log
        assert runs(home)[running_run].status == dg.DagsterRunStatus.FAILURE
        assert writer_slot_holders(home) == set() and claim_files(home) == []
        # Nothing half-published: the published file opens and holds what it held before.
        assert table_snapshot(home) == before
        assert not list(home.glob(".warehouse.duckdb.*.tmp"))

        server.reset_faults()
        after = run_papers(["backfill", "--start", str(START), "--end", str(END)], home, server.base_url)
    assert after.returncode == 0, after.output
    assert "Recovered" not in after.output  # both stopped processes cleaned up after themselves
    assert loaded_rows(home) == expected_rows(days_dir, days)
    assert published_rows(home, "SELECT count(*) FROM partition_loads")[0][0] == N_DAYS
    assert os.path.exists(home / "warehouse.duckdb")
