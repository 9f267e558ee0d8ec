"""Claim files tell dead writers from live ones; recovery frees what the dead ones held."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import dagster as dg
import pytest

from orchestration.partitions import DUCKDB_WRITER_POOL
from orchestration.runs.writer_claims import WriterOwner, claim_file, claims_dir, dead_owners
from orchestration.runs.writer_recovery import recover_dead_writers
from tests.e2e.cli_helpers import REPO_ROOT

HOLD_A_CLAIM = """
import sys, time
from pathlib import Path
from orchestration.runs.writer_claims import WriterOwner, claim_file
with claim_file(Path(sys.argv[1]), WriterOwner.of_this_process(sys.argv[2])):
    print("held", flush=True)
    time.sleep(600)
"""


def hold_claim(directory, run_id) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_A_CLAIM, str(directory), run_id], cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_claim_is_dead_only_once_its_process_is_gone(tmp_path):
    holder = hold_claim(tmp_path, "run-a")
    try:
        with dead_owners(tmp_path) as owners:
            assert owners == []  # alive: its lock is held
        assert (tmp_path / "run-a.json").exists()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    with dead_owners(tmp_path) as owners:
        assert [(o.run_id, o.pid) for o in owners] == [("run-a", holder.pid)]
    assert not (tmp_path / "run-a.json").exists()  # cleaned up after the block


def test_a_claim_of_this_process_is_live_and_removed_when_done(tmp_path):
    with claim_file(tmp_path, WriterOwner.of_this_process("run-b")) as path:
        assert path.exists()
        with dead_owners(tmp_path) as owners:
            assert owners == []
    assert not path.exists()


@pytest.fixture
def instance(tmp_path):
    (tmp_path / "dagster").mkdir()
    with dg.instance_for_test(
        temp_dir=str(tmp_path / "dagster"), overrides={"concurrency": {"pools": {"default_limit": 1}}}
    ) as test_instance:
        yield test_instance


def started_run(instance) -> dg.DagsterRun:
    run = instance.create_run_for_job(dg.GraphDefinition("g").to_job(), status=dg.DagsterRunStatus.STARTED)
    instance.event_log_storage.initialize_concurrency_limit_to_default(DUCKDB_WRITER_POOL)
    claimed = instance.event_log_storage.claim_concurrency_slot(DUCKDB_WRITER_POOL, run.run_id, "daily_papers")
    assert claimed.is_claimed
    return run


def holders(instance) -> set[str]:
    info = instance.event_log_storage.get_concurrency_info(DUCKDB_WRITER_POOL)
    return {slot.run_id for slot in info.claimed_slots}


def test_the_run_of_a_dead_writer_is_marked_failed_and_its_slot_freed(instance):
    run = started_run(instance)
    holder = hold_claim(claims_dir(instance.root_directory), run.run_id)
    try:
        assert recover_dead_writers(instance) == []  # alive: nothing to recover
        assert holders(instance) == {run.run_id}
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    [line] = recover_dead_writers(instance)
    assert run.run_id in line and f"pid {holder.pid}" in line and "slot freed" in line
    assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.FAILURE
    assert holders(instance) == set()
    assert recover_dead_writers(instance) == []  # once


def test_a_slot_still_held_by_a_run_that_ended_is_freed(instance):
    run = started_run(instance)
    instance.report_run_failed(run, message="terminated in the UI")
    time.sleep(0.1)
    [line] = recover_dead_writers(instance)
    assert run.run_id in line and "FAILURE" in line
    assert holders(instance) == set()
