"""`papers bench [--scale S] [--quick]`: the benchmark (load vs DuckDB floor, dlt, Dagster
backfill, dashboard queries, memory); prints tables and writes bench/results/latest.json."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from papers_settings import Settings

import argparse
import shlex
import sys
from pathlib import Path


def register(subparsers, settings: Settings) -> None:
    parser = subparsers.add_parser(
        "bench",
        help="run the benchmark and write bench/results/latest.json",
        description="Generate realistic API days, serve them from a local server and measure "
        "`papers backfill` as a process (start to exit) against DuckDB's own floor on the same files, the "
        "load against DuckDB's own floor, fetch+load against dlt, the Dagster backfill batched and "
        "per partition, dashboard query latency at 1x and 10x history, and peak memory at 10x. "
        "Needs the bench dependency group for dlt: `uv sync --group bench`.",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies papers per day (default 1 = 50 a day)")
    parser.add_argument(
        "--quick", action="store_true", help="a few minutes: 20 days, small history, shrunk comparisons (says so)"
    )
    parser.add_argument("--out", type=Path, help="results JSON (default bench/results/latest.json)")
    parser.add_argument("--work-dir", type=Path, help="keep generated days and warehouses here")
    parser.add_argument(
        "--only",
        type=_steps,
        metavar="STEP[,STEP]",
        help="run only these measurements (reusing the days generated in --work-dir): "
        "backfill_process, load, load_ducklake, fetch_vs_dlt, backfill, memory_10x, queries_1x, queries_10x, "
        "daily_run_10x, fresh_tab_10x (the last two read the history queries_10x builds in --work-dir)",
    )
    parser.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    try:
        from bench.plan import make_plan
        from bench.run import RESULTS_DIR, run_benchmark
    except ImportError as error:
        print(f"papers bench needs the repository checkout (bench/ package): {error}", file=sys.stderr)
        return 2
    try:
        plan = make_plan(args.scale, args.quick)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    command = "papers bench" + "".join(f" {shlex.quote(a)}" for a in sys.argv[2:])
    run_benchmark(
        plan,
        command,
        out=args.out or RESULTS_DIR / "latest.json",
        work_dir=args.work_dir,
        say=lambda text: print(text, file=sys.stderr, flush=True),
        only=args.only,
    )
    return 0


def _steps(text: str) -> set[str]:
    from bench.run import STEPS

    steps = {step.strip() for step in text.split(",") if step.strip()}
    unknown = sorted(steps - set(STEPS))
    if unknown or not steps:
        raise argparse.ArgumentTypeError(f"unknown step(s) {unknown or text!r}; choose from {', '.join(STEPS)}")
    return steps
