"""What a user runs: `papers backfill --start .. --end ..` as a process, from start to exit, beside
DuckDB's floor on the same day files (bench/sql/floor_load.sql), in the same command.

The process pays everything a user waits for: imports, the Dagster instance's start-up, the
fetches from the local stand-in HF server (hf_api/testing/fake_server.py, in this process, with
the client's rate limit at 1000 requests a second), the load runs, the publishes and the search
rebuild. The floor runs in this process between the backfills (DuckDB alone, no Python work to
speak of). The figure is the ratio: on a shared machine both sides slow down together.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

from bench.measure_load import _median_run, floor_load
from bench.subprocesses import child_env, product_env, run_worker, tree_peak_rss_mb
from hf_api.testing.fake_server import FakeHFServer
from papers_settings import REPO_ROOT

# What the issue-21 figure is measured with: the local server answers at once, so the client's
# own limit (default 2 a second) would be all that is measured.
REQUESTS_PER_SECOND = "1000"


def cli_backfill(days_dir: Path, days: list[date], home: Path, tree: Path = REPO_ROOT) -> dict:
    """`papers backfill` over `days` (served from `days_dir`) into a fresh `home`: wall seconds
    from start to exit, exit status, peak RSS, and where the time went by Dagster's own records.
    `tree`: the checkout whose code runs (its folder is the process's first import path)."""
    # With $TRACE_PHASES_OUT set, the same command runs under bench/trace_phases.py's timers.
    entry = "bench.trace_phases" if os.environ.get("TRACE_PHASES_OUT") else "papers_cli.main"
    command = [sys.executable, "-m", entry, "backfill", "--start", days[0].isoformat(), "--end", days[-1].isoformat()]
    with FakeHFServer(days_dir) as server:
        env = child_env({**product_env(home, server.base_url), "HF_REQUESTS_PER_SECOND": REQUESTS_PER_SECOND})
        with tempfile.TemporaryFile("w+") as err:
            children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started, started_epoch = time.perf_counter(), time.time()
            proc = subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=err, text=True)
            peak_mb = tree_peak_rss_mb(proc)
            wall, ended_epoch = time.perf_counter() - started, time.time()
            cpu = _cpu_seconds(resource.getrusage(resource.RUSAGE_CHILDREN)) - _cpu_seconds(children_before)
            err.seek(0)
            stderr = err.read()
        requests = len(server.requests)
    if proc.returncode != 0:
        raise RuntimeError(f"papers backfill exited {proc.returncode}:\n{stderr[-3000:]}")
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "days": len(days),
        "requests": requests,
        "peak_rss_mb": peak_mb,
        "published_papers": _published_papers(home / "warehouse.duckdb"),
        **run_breakdown(home / "dagster", wall, started_epoch),
        "phases": run_phases(home / "dagster", started_epoch, ended_epoch),
    }


def _cpu_seconds(usage: resource.struct_rusage) -> float:
    # User + system CPU of the waited-for children: on a shared machine it moves less with the
    # load than wall time does, so it is the figure to compare two trees by.
    return usage.ru_utime + usage.ru_stime


def _published_papers(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM papers").fetchall()[0][0]
    finally:
        con.close()


def run_breakdown(dagster_home: Path, wall_s: float, since_epoch: float | None = None) -> dict:
    """Seconds inside Dagster runs (from their records; those created since `since_epoch` when
    given), per step, and the rest of `wall_s` (imports, instance start-up, writer-slot
    bookkeeping between runs, exit)."""
    since = [repr(since_epoch)] if since_epoch is not None else []
    records = run_worker("bench.run_records", since, {"DAGSTER_HOME": str(dagster_home)})
    return {
        "runs": records["runs"],
        "in_runs_s": records["in_runs_s"],
        "step_seconds": records["step_seconds"],
        "run_seconds": records["run_seconds"],
        "outside_runs_s": wall_s - records["in_runs_s"],
    }


def run_phases(dagster_home: Path, started_epoch: float, ended_epoch: float) -> dict:
    """The wall seconds outside the steps, run by run (bench/run_phases.py): start-up before the
    first run, each run's creation, start and end, the gaps between runs, and the exit."""
    phases = run_worker("bench.run_phases", [repr(started_epoch), repr(ended_epoch)], {"DAGSTER_HOME": str(dagster_home)})
    return {key: phases[key] for key in ("runs", "before_first_run_s", "after_last_run_s")}


def measure_cli_backfill(days_dir: Path, days: list[date], work: Path, rounds: int = 1) -> dict:
    """The floor and `papers backfill` alternated `rounds` times, each into a fresh warehouse
    (floor first); each side's median round and the ratio backfill wall / floor seconds."""
    floors, backfills = [], []
    for round_ in range(rounds):
        floors.append(floor_load(days_dir, work / f"cli_floor_{round_}.duckdb"))
        run = cli_backfill(days_dir, days, work / f"cli_backfill_{round_}")
        backfills.append({**run, "seconds": run["wall_s"]})
    floor, backfill = _median_run(floors), _median_run(backfills)
    # Every round's CPU too: on a shared machine it is the figure two trees are compared by.
    backfill["cpu_s_each_round"] = [run["cpu_s"] for run in backfills]
    return {"backfill": backfill, "floor": floor, "ratio": backfill["wall_s"] / floor["seconds"], "rounds": rounds}
