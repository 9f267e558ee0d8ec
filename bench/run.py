"""The whole benchmark: generate days, run every measurement, print tables, write JSON.

Results are written to bench/results/latest.json after every measurement, so a run that is
stopped half-way still leaves what it measured.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

from bench.generate import DEFAULT_SEED, DayGenerator, day_range, write_days
from bench.machine import describe_machine
from bench.measure_cli_backfill import measure_cli_backfill
from bench.measure_daily_run import measure_daily_run
from bench.measure_ducklake_load import measure_ducklake_load
from bench.measure_fresh_tab import measure_fresh_tab
from bench.measure_load import measure_load
from bench.measure_queries import time_queries
from bench.measure_remote import measure_backfill, measure_fetch, measure_memory
from bench.plan import BenchPlan
from bench.report import headline, print_report
from bench.subprocesses import WorkerFailed, run_worker

RESULTS_DIR = Path(__file__).parent / "results"


# daily_run_10x reads the history queries_10x builds (bench/measure_daily_run.py)
STEPS = (
    "generate",
    "backfill_process",
    "load",
    "load_ducklake",
    "fetch_vs_dlt",
    "backfill",
    "memory_10x",
    "queries_1x",
    "queries_10x",
    "daily_run_10x",
    "fresh_tab_10x",
)
# The measurements that read the generated days; the query ones build their own history.
DAY_STEPS = {"backfill_process", "load", "load_ducklake", "fetch_vs_dlt", "backfill", "memory_10x"}


def run_benchmark(
    plan: BenchPlan,
    command: str,
    out: Path = RESULTS_DIR / "latest.json",
    work_dir: Path | None = None,
    end: date | None = None,
    say: Callable[[str], None] = print,
    only: set[str] | None = None,
) -> dict:
    """Run every measurement of `plan` (or those in `only`); returns (and writes to `out`) the
    results. Days already generated in `work_dir` for the same plan are reused."""
    end = end or date.today()
    work = Path(work_dir or tempfile.mkdtemp(prefix="papers-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "command": command,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": describe_machine(),
        "plan": {**plan.__dict__, "papers_per_day": plan.papers_per_day, "end": end.isoformat()},
        "notes": plan.notes(),
        "details": {},
    }
    details = results["details"]

    def step(name: str, action: Callable[[], dict]) -> None:
        if only is not None and name not in only:
            return
        say(f"[bench] {name} ...")
        started = time.perf_counter()
        try:
            details[name] = action()
        except Exception as error:  # one broken measurement must not lose the others
            details[name] = {"error": f"{type(error).__name__}: {error}"[:2000]}
        say(f"[bench] {name} done in {time.perf_counter() - started:.0f} s")
        results.update(headline(details, plan))
        _write(out, results)

    try:
        days = day_range(end, plan.year_days)
        if only is not None:
            results["only"] = sorted(only)
            if only & DAY_STEPS and not all((work / f"days_{label}").exists() for label in ("1x", "10x")):
                only = only | {"generate"}
            # fresh_tab_10x alone serves the 10x history queries_10x built in an earlier run
            keep = {"days_1x", "days_10x"} | ({"history_10x"} if "queries_10x" not in only else set())
            for old in work.iterdir():  # warehouses of an earlier run: every measurement starts empty
                if old.is_dir() and old.name not in keep:
                    shutil.rmtree(old)
        step("generate", lambda: _generate(work, days, plan))
        days_1x, days_10x = work / "days_1x", work / "days_10x"
        # What a user runs, first: `papers backfill` as a process beside DuckDB's floor.
        rounds = 1 if plan.quick else 2
        step("backfill_process", lambda: measure_cli_backfill(days_1x, days, work / "backfill_process", rounds))
        step("load", lambda: measure_load(days_1x, work / "load"))
        # a durable PostgreSQL is initialised per round: --quick takes one round (with three, 29 s of
        # the harness test's tiny quick run of 102 s, measured under load)
        step("load_ducklake", lambda: measure_ducklake_load(days_1x, work / "load_ducklake", 1 if plan.quick else 3))
        step("fetch_vs_dlt", lambda: measure_fetch(days_1x, days, work))
        step("backfill", lambda: measure_backfill(days_1x, days, plan.per_partition_days, work))
        step("memory_10x", lambda: measure_memory(days_10x, days, work / "backfill_10x"))
        for label, per_day in (("1x", plan.papers_per_day), ("10x", plan.papers_per_day_10x)):
            step(f"queries_{label}", partial(_queries, work, label, end, plan, per_day))
        # the schedule's run into a copy of the 10x history queries_10x built (in this command); a
        # whole `papers backfill` process more, so --quick runs it only when --only names it
        if not plan.quick or only is not None:
            daily = partial(measure_daily_run, work / "history_10x", work / "daily_run_10x", plan.papers_per_day_10x)
            step("daily_run_10x", daily)
        # A fresh browser tab to the rendered Overview, on the 10x history queries_10x built
        # (a real browser and two servers: --quick runs it only when named in --only).
        if not plan.quick or (only is not None and "fresh_tab_10x" in only):
            step("fresh_tab_10x", lambda: measure_fresh_tab(work / "history_10x", repeats=5 if plan.quick else 10))
    finally:
        results["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        _write(out, results)
        if work_dir is None:
            shutil.rmtree(work, ignore_errors=True)
    print_report(results)
    return results


def _generate(work: Path, days: list[date], plan: BenchPlan) -> dict:
    made = {}
    for label, per_day in (("1x", plan.papers_per_day), ("10x", plan.papers_per_day_10x)):
        started = time.perf_counter()
        result = write_days(work / f"days_{label}", days, DayGenerator(per_day, DEFAULT_SEED))
        made[label] = {
            "days": len(result.days),
            "papers": result.papers,
            "author_slots": result.author_slots,
            "json_mb": result.bytes / 1e6,
            "seconds": time.perf_counter() - started,
        }
    return made


def _queries(work: Path, label: str, end: date, plan: BenchPlan, per_day: int) -> dict:
    args = [
        "--end",
        end.isoformat(),
        "--days",
        str(plan.history_days),
        "--papers-per-day",
        str(per_day),
        "--seed",
        str(DEFAULT_SEED),
    ]
    home = work / f"history_{label}"
    try:
        history = run_worker("bench.history", ["--home", str(home), *args])
    except WorkerFailed as failure:
        if not failure.killed:
            raise
        # The derived tables are what blows up; measure every other query on a warehouse without them.
        shutil.rmtree(home, ignore_errors=True)
        history = run_worker("bench.history", ["--home", str(home), "--no-derive", *args])
        history["derived_tables_not_built"] = str(failure).splitlines()[0]
    return {"warehouse": history, **time_queries(Path(history["path"]), plan.query_repeats)}


def _write(out: Path, results: dict) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_suffix(".tmp")
    staging.write_text(json.dumps(results, indent=2, default=str))
    staging.replace(out)
