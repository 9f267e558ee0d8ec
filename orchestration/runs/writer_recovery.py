"""Cleaning up after writers that died: their runs marked failed, their pool slots freed.

A `papers backfill` killed with SIGKILL (or by the out-of-memory killer) cannot give back the
`duckdb_writer` pool slot its run holds, and its run stays STARTED: every later writing run
would wait for that slot forever. The Dagster daemon's run monitoring does not help: it watches
the run workers it launched, not runs executed inside a terminal command. Every terminal writer
therefore holds a claim file (writer_claims.py) whose lock dies with it; before a
writer waits for the slot, the runs of dead claimants are marked failed and their slots freed.
"""

from __future__ import annotations

import os
import socket

import dagster as dg

from orchestration.partitions import DUCKDB_WRITER_POOL
from orchestration.runs.writer_claims import WriterOwner, claims_dir, dead_owners, exclusive


def recover_dead_writers(instance: dg.DagsterInstance) -> list[str]:
    """Free what dead writers hold; one line per recovered run, saying which run and process."""
    directory = claims_dir(instance.root_directory)
    with exclusive(directory), dead_owners(directory) as owners:
        lines = [_recover(instance, owner) for owner in owners]
        lines += _free_slots_of_finished_runs(instance)
    return lines


def _recover(instance: dg.DagsterInstance, owner: WriterOwner) -> str:
    run = instance.get_run_by_id(owner.run_id)
    marked = ""
    if run is not None and not run.is_finished:
        instance.report_run_failed(
            run,
            message=(
                f"The process that ran this run, {owner.describe()}, ended without finishing it "
                f"(killed, or out of memory); marked failed by pid {os.getpid()} on {socket.gethostname()}."
            ),
        )
        marked = f"marked {run.status.value} run failed, "
    instance.event_log_storage.free_concurrency_slots_for_run(owner.run_id)
    return (
        f"Recovered after a writer that died: run {owner.run_id} of {owner.describe()}: "
        f"{marked}its {DUCKDB_WRITER_POOL} slot freed."
    )


def _free_slots_of_finished_runs(instance: dg.DagsterInstance) -> list[str]:
    """Slots still held by runs that are over (what the daemon's run monitoring does, when no
    daemon runs): e.g. a run someone marked failed in the UI after its process was killed."""
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return []
    info = storage.get_concurrency_info(DUCKDB_WRITER_POOL)
    run_ids = {slot.run_id for slot in info.claimed_slots} | {step.run_id for step in info.pending_steps}
    lines = []
    for run_id in sorted(run_ids):
        run = instance.get_run_by_id(run_id)
        if run is not None and run.is_finished:
            storage.free_concurrency_slots_for_run(run_id)
            lines.append(f"Freed the {DUCKDB_WRITER_POOL} slot still held by run {run_id}, which had ended ({run.status.value}).")
    return lines
