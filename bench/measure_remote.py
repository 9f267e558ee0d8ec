"""Measurements against the local API server: fetch + load (project vs dlt) and Dagster backfills.

The server (hf_api.testing.fake_server.FakeHFServer, the one the tests use) runs in this
process; every measured side runs in its own fresh process, so none shares a GIL with it.
"""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

from bench.subprocesses import WorkerFailed, product_env, run_worker
from hf_api.testing.fake_server import FakeHFServer

DLT_RSS_LIMIT_MB = 16_000  # of the machine's 24 GB; our own workers keep the 8 GB default


def measure_fetch(days_dir: Path, days: list[date], work: Path) -> dict:
    """The project's fetch + transform + load vs dlt's REST API source, same server, same days."""
    span = ["--start", days[0].isoformat(), "--end", days[-1].isoformat()]
    with FakeHFServer(days_dir) as server:
        project = run_worker(
            "bench.fetch_worker", ["project", "--base-url", server.base_url, *span, "--work", str(work / "fetch_project")]
        )
        project["requests"] = len(server.requests)
        server.reset_instruments()
        if importlib.util.find_spec("dlt") is None:
            return {"project": project, "dlt": None, "dlt_skipped": "dlt is not installed: run `uv sync --group bench`"}
        # dlt holds a year in memory (7.5-8.2 GB measured): the default 8 GB guard killed it once.
        dlt = run_worker(
            "bench.fetch_worker",
            ["dlt", "--base-url", server.base_url, *span, "--work", str(work / "fetch_dlt")],
            rss_limit_mb=DLT_RSS_LIMIT_MB,
        )
        dlt["requests"] = len(server.requests)
    return {"project": project, "dlt": dlt, "speedup": dlt["seconds"] / project["seconds"]}


def backfill(days_dir: Path, days: list[date], home: Path, per_partition: bool = False) -> dict:
    """One `papers backfill`-style run over `days` from the local server, in a fresh process."""
    args = ["--start", days[0].isoformat(), "--end", days[-1].isoformat()]
    with FakeHFServer(days_dir) as server:
        return run_worker(
            "bench.backfill_worker", args + (["--per-partition"] if per_partition else []), product_env(home, server.base_url)
        )


def measure_backfill(days_dir: Path, days: list[date], sample_days: int, work: Path) -> dict:
    """Batched backfill of `days` vs one run per partition (measured on the last `sample_days`
    days, then extrapolated per run to all of `days`, labelled as such)."""
    batched = backfill(days_dir, days, work / "backfill_batched")
    sample = days[-sample_days:]
    single = backfill(days_dir, sample, work / "backfill_per_partition", per_partition=True)
    # Both ways end with one rebuild of the search tables: the sample's load runs are
    # extrapolated, then the year's own rebuild (measured in the batched backfill) is added.
    search_s = batched["step_seconds"].get("search_tables", 0.0)
    per_run_s = (single["seconds"] - single["step_seconds"].get("search_tables", 0.0)) / max(1, single["runs"])
    # A run launched by the Dagster daemon is its own process: add the start-up this worker paid.
    startup_s = single["wall_s"] - single["seconds"]
    extrapolated = per_run_s * len(days) + search_s
    fresh_process = (per_run_s + startup_s) * len(days) + search_s
    return {
        "batched": batched,
        "per_partition_sample": single,
        "per_partition_run_s": per_run_s,
        "per_partition_extrapolated_s": extrapolated,
        "per_partition_fresh_process_run_s": per_run_s + startup_s,
        "per_partition_fresh_process_extrapolated_s": fresh_process,
        "ratio": extrapolated / batched["seconds"],
        "ratio_fresh_process": fresh_process / batched["seconds"],
    }


def measure_memory(days_dir: Path, days: list[date], home: Path) -> dict:
    """Peak RSS of a batched backfill; a run the memory guard kills reports the RSS it reached."""
    try:
        return backfill(days_dir, days, home)
    except WorkerFailed as failure:
        if not failure.killed:
            raise
        return {
            "killed_by_guard": True,
            "peak_rss_mb": failure.peak_rss_mb,
            "days_landed_before_kill": len(list((home / "raw" / "daily_papers").glob("????-??-??"))),
            "message": str(failure).splitlines()[0],
        }
