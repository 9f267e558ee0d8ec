"""Running a warehouse-writing job from a terminal: one writer at a time, never stuck.

`execute_writer_job` runs a job in this process like `execute_in_process`, and also:

- holds a claim file for its run (writer_claims.py), so a later writer can tell if it died;
- first frees what dead writers left (writer_recovery.py) and says so;
- waits for the `duckdb_writer` pool slot in its own loop, which Ctrl-C and SIGTERM stop, then
  claims the slot for the run's writing step before the run starts. Dagster's own wait for a
  slot runs where interrupts are deferred, so a command waiting there could not be stopped;
  with the slot already claimed under the run's id and step key, Dagster's claim succeeds at once;
- raises `WriterInterrupted` when a signal stopped the run (the run itself is marked failed).
"""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import dagster as dg
from dagster._core.execution.plan.objects import ErrorSource
from dagster._core.instance.config import PoolGranularity
from dagster._core.utils import make_new_run_id

from orchestration.partitions import DUCKDB_WRITER_POOL
from orchestration.runs.interrupts import clear_received_signal, received_signal
from orchestration.runs.writer_claims import WriterOwner, claim_file, claims_dir, read_owner
from orchestration.runs.writer_recovery import recover_dead_writers

POLL_SECONDS = 1.0
Notify = Callable[[str], None]


class WriterInterrupted(KeyboardInterrupt):
    """A writing run was stopped by Ctrl-C or SIGTERM; the run is marked failed."""

    def __init__(self, run_id: str, signal_name: str):
        super().__init__(f"run {run_id} interrupted by {signal_name}")
        self.run_id = run_id
        self.signal_name = signal_name


def stopped_message(stop: KeyboardInterrupt) -> str:
    """What a command stopped by Ctrl-C or SIGTERM tells its user, in one line."""
    if isinstance(stop, WriterInterrupted):
        what = f"Stopped by {stop.signal_name}: run {stop.run_id} is marked failed"
    else:
        what = "Stopped (Ctrl-C or SIGTERM) while no run was writing"
    return (
        f"{what}; nothing is half-written (an unfinished load is rolled back, the published "
        "warehouse is replaced whole or not at all). Run the same command again to do the rest."
    )


def print_to_stderr(line: str) -> None:
    """The default `notify`: one line on stderr, where the CLI reports progress."""
    print(line, file=sys.stderr, flush=True)


def execute_writer_job(
    job: dg.JobDefinition,
    instance: dg.DagsterInstance,
    *,
    tags: dict[str, str] | None = None,
    run_id: str | None = None,
    notify: Notify = print_to_stderr,
    **execute_kwargs,
) -> dg.ExecuteInProcessResult:
    """`job.execute_in_process(raise_on_error=False, ...)` as the single writer (module docstring).
    `run_id` lets a caller know the run's id before it starts (the backfill progress watches it)."""
    run_id = run_id or make_new_run_id()
    owner = WriterOwner.of_this_process(run_id)
    owner_tags = {"papers/pid": str(owner.pid), "papers/host": owner.host}
    writer_steps = [
        node.name for node in job.nodes_in_topological_order if getattr(node.definition, "pool", None) == DUCKDB_WRITER_POOL
    ]
    with sigterm_as_interrupt(), claim_file(claims_dir(instance.root_directory), owner):
        try:
            if writer_steps:
                wait_for_writer_slot(instance, run_id, writer_steps[0], notify)
            clear_received_signal()
            result = job.execute_in_process(
                instance=instance, run_id=run_id, raise_on_error=False, tags={**(tags or {}), **owner_tags}, **execute_kwargs
            )
        finally:
            _free_slots(instance, run_id)
    interrupted_by = _interrupted_by(result)
    if interrupted_by:
        raise WriterInterrupted(run_id, interrupted_by)
    return result


def _interrupted_by(result: dg.ExecuteInProcessResult) -> str | None:
    """The signal that stopped the run: seen by our step handler (runs/interrupts.py), or by
    Dagster's own (a signal that came between steps, raised when a step starts)."""
    if result.success:
        return None
    if received_signal() is not None:
        return received_signal()
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data.error_source == ErrorSource.INTERRUPT:
            return "SIGINT or SIGTERM"
    return None


def wait_for_writer_slot(
    instance: dg.DagsterInstance, run_id: str, step_key: str, notify: Notify = print_to_stderr, poll_seconds: float = POLL_SECONDS
) -> None:
    """Claim the writer pool slot for `run_id`'s `step_key`, waiting while another writer has it.

    Dead writers are recovered before each try; the holder is named once (again if it changes).
    """
    if not _pool_is_limited(instance):
        return
    announced: str | None = None
    while True:
        for line in recover_dead_writers(instance):
            notify(line)
        status = instance.event_log_storage.claim_concurrency_slot(DUCKDB_WRITER_POOL, run_id, step_key)
        if status.is_claimed:
            return
        holders = _describe_holders(instance, run_id)
        if holders != announced:
            notify(f"Waiting for the {DUCKDB_WRITER_POOL} slot (one writer at a time), held by {holders}; Ctrl-C stops waiting.")
            announced = holders
        time.sleep(poll_seconds)


def _pool_is_limited(instance: dg.DagsterInstance) -> bool:
    """Whether Dagster limits the writer pool (as its InstanceConcurrencyContext decides)."""
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return False
    config = storage.get_pool_config()
    if config.pool_granularity == PoolGranularity.RUN:
        return False
    limit = next((p for p in storage.get_pool_limits() if p.name == DUCKDB_WRITER_POOL), None)
    default = config.default_pool_limit
    if (limit is None and default is not None) or (limit is not None and limit.from_default and limit.limit != default):
        storage.initialize_concurrency_limit_to_default(DUCKDB_WRITER_POOL)
        limit = next((p for p in storage.get_pool_limits() if p.name == DUCKDB_WRITER_POOL), None)
    return limit is not None


def _describe_holders(instance: dg.DagsterInstance, own_run_id: str) -> str:
    info = instance.event_log_storage.get_concurrency_info(DUCKDB_WRITER_POOL)
    run_ids = [slot.run_id for slot in info.claimed_slots if slot.run_id != own_run_id]
    if not run_ids:
        return "runs queued before this one"
    directory = claims_dir(instance.root_directory)
    described = []
    for run_id in run_ids:
        owner = read_owner(directory, run_id)
        who = (
            owner.describe()
            if owner
            else (
                "not run by a `papers` command: a run from the Dagster UI, or one left by a version "
                "without this check; if nothing runs it any more, terminate it in the Dagster UI"
            )
        )
        described.append(f"run {run_id} ({who})")
    return ", ".join(described)


def _free_slots(instance: dg.DagsterInstance, run_id: str) -> None:
    # Dagster frees the slot when the step ends; this covers a run that never reached its step.
    if instance.event_log_storage.supports_global_concurrency_limits:
        instance.event_log_storage.free_concurrency_slots_for_run(run_id)


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt like Ctrl-C, so a terminated writer cleans up too."""
    try:
        previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
