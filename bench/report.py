"""The headline figures (top-level JSON keys) and the printed tables."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

# key -> (target, "max" = must stay below / "min" = must reach)
TARGETS = {
    "backfill_process_ratio_vs_duckdb_floor": (5.0, "max"),
    "load_ratio_vs_duckdb_floor": (1.5, "max"),
    "speedup_vs_dlt": (10.0, "min"),
    "backfill_365_days_s": (30.0, "max"),
    "dashboard_query_p95_ms_10x": (50.0, "max"),
    "peak_rss_mb_10x": (500.0, "max"),
    "daily_run_10x_s": (5.0, "max"),
    "fresh_tab_overview_median_ms_10x": (1500.0, "max"),
}


def _get(details: dict, *path):
    node = details
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def headline(details: dict, plan) -> dict:
    """The figures results are compared by over time, from whatever has been measured so far."""
    batched_s = _get(details, "backfill", "batched", "seconds")
    queries_10x = _get(details, "queries_10x", "queries") or {}
    slowest = max(queries_10x.items(), key=lambda kv: kv[1]["p95_ms"], default=(None, None))
    figures = {
        "backfill_process_ratio_vs_duckdb_floor": _get(details, "backfill_process", "ratio"),
        "backfill_process_s": _get(details, "backfill_process", "backfill", "wall_s"),
        "backfill_process_floor_s": _get(details, "backfill_process", "floor", "seconds"),
        "load_ratio_vs_duckdb_floor": _get(details, "load", "ratio"),
        "speedup_vs_dlt": _get(details, "fetch_vs_dlt", "speedup"),
        "backfill_365_days_s": batched_s * 365 / plan.year_days if batched_s else None,
        "backfill_365_days_extrapolated": plan.year_days != 365,
        "backfill_one_run_per_partition_ratio": _get(details, "backfill", "ratio"),
        "backfill_one_process_per_partition_ratio": _get(details, "backfill", "ratio_fresh_process"),
        "dashboard_query_p95_ms_10x": slowest[1]["p95_ms"] if slowest[1] else None,
        "dashboard_slowest_query_10x": slowest[0],
        "peak_rss_mb_10x": _get(details, "memory_10x", "peak_rss_mb"),
        "fresh_tab_overview_median_ms_10x": _get(details, "fresh_tab_10x", "overview", "median_ms"),
        "fresh_tab_empty_page_median_ms": _get(details, "fresh_tab_10x", "empty_page", "median_ms"),
        "peak_rss_10x_killed_by_guard": bool(_get(details, "memory_10x", "killed_by_guard")),
        "daily_run_10x_s": _get(details, "daily_run_10x", "median_wall_s"),
        # the headline above is the process a user waits for; under the daemon the schedule
        # launches only the load run, in an instance already running (bench/measure_daily_run.py)
        "daily_run_10x_schedule_run_s": _get(details, "daily_run_10x", "median_schedule_run_s"),
        "daily_run_10x_search_run_s": _get(details, "daily_run_10x", "median_search_run_s"),
        "daily_run_10x_published_mb": _get(details, "daily_run_10x", "published_mb_before"),
    }
    figures["targets_met"] = {
        key: (None if figures[key] is None else (figures[key] <= target if kind == "max" else figures[key] >= target))
        for key, (target, kind) in TARGETS.items()
    }
    return figures


def _fmt(value, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def _phases_line(phases: dict) -> str:
    """Start-up, each run's own cost outside its steps (creation, start, end, the gap before it)
    and the exit, from bench/run_phases.py."""
    runs = phases["runs"]
    fixed = [sum(r[k] for k in ("created_to_start_s", "start_to_first_step_s", "last_step_to_end_s")) for r in runs]
    gaps = [r["before_s"] for r in runs[1:]]
    return (
        f"start-up {phases['before_first_run_s']:.1f} s; per run (creation, start, end) "
        + " / ".join(f"{s:.2f}" for s in fixed)
        + " s; between runs "
        + " / ".join(f"{s:.2f}" for s in gaps)
        + f" s; exit {phases['after_last_run_s']:.1f} s"
    )


def print_report(results: dict, console: Console | None = None) -> None:
    """Print the headline table, the per-measurement tables and the notes."""
    console = console or Console(width=120)
    details = results.get("details", {})
    head = Table("figure", "value", "target", "met", title="Benchmark headline")
    for key, (target, kind) in TARGETS.items():
        met = results.get("targets_met", {}).get(key)
        head.add_row(
            key,
            _fmt(results.get(key)),
            f"{'<=' if kind == 'max' else '>='} {target:g}",
            {True: "yes", False: "NO", None: "-"}[met],
        )
    head.add_row("backfill_one_run_per_partition_ratio", _fmt(results.get("backfill_one_run_per_partition_ratio")), "", "")
    head.add_row(
        "backfill_one_process_per_partition_ratio", _fmt(results.get("backfill_one_process_per_partition_ratio")), "", ""
    )
    head.add_row("daily_run_10x_schedule_run_s (the load run alone)", _fmt(results.get("daily_run_10x_schedule_run_s")), "", "")
    head.add_row("daily_run_10x_search_run_s (the search run after it)", _fmt(results.get("daily_run_10x_search_run_s")), "", "")
    head.add_row("daily_run_10x_published_mb (the file it ran on)", _fmt(results.get("daily_run_10x_published_mb")), "", "")
    console.print(head)
    _measurements(console, details)
    _queries(console, details)
    for name, detail in details.items():
        if isinstance(detail, dict) and "error" in detail:
            console.print(f"[red]{name} failed:[/red] {detail['error']}")
    for note in results.get("notes", []):
        console.print(f"note: {note}")
    machine = results.get("machine", {})
    console.print(
        f"machine: {machine.get('cpu')}, {machine.get('logical_cores')} cores, "
        f"{machine.get('memory_gb')} GB, {machine.get('os')}, Python {machine.get('python')}, "
        f"load average at start {machine.get('load_average_at_start')}"
    )
    if "bytecode" in machine:
        code = machine["bytecode"]
        console.print(
            f"bytecode: installed packages compiled {code['installed_packages_compiled']}, "
            f"Python writes bytecode {code['python_writes_bytecode']} (neither: every process compiles what it imports)"
        )
    console.print(f"command: {results.get('command')}")


def _measurements(console: Console, details: dict) -> None:
    table = Table("measurement", "seconds", "rows/s", "detail", title="Measurements (same run, side by side)")
    process = details.get("backfill_process") or {}
    if "backfill" in process:
        b, f = process["backfill"], process["floor"]
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(b["step_seconds"].items()))
        table.add_row(
            "papers backfill (process)",
            _fmt(b["wall_s"]),
            "",
            f"{b['days']} days, {b['runs']} runs: {steps}, outside runs {b['outside_runs_s']:.1f} s; "
            f"peak RSS {b['peak_rss_mb']:.0f} MB" + (f", CPU {b['cpu_s']:.1f} s" if "cpu_s" in b else ""),
        )
        if "phases" in b:
            table.add_row("  outside the steps", "", "", _phases_line(b["phases"]))
        table.add_row("DuckDB floor, same files", _fmt(f["seconds"]), "", f"ratio {process['ratio']:.1f}")
    for side in ("project", "floor"):
        run = _get(details, "load", side)
        if run:
            table.add_row(f"load: {side}", _fmt(run["seconds"]), _fmt(run["rows_per_s"], 0), f"{run['rows_total']:,} rows")
    lake = details.get("load_ducklake") or {}
    if "skipped" in lake:
        table.add_row("load: DuckLake (PostgreSQL catalog)", "", "", f"skipped: {lake['skipped']}")
    elif "seconds" in lake:
        table.add_row(
            "load: DuckLake (PostgreSQL catalog)",
            _fmt(lake["seconds"]),
            _fmt(lake["rows_per_s"], 0),
            f"{lake['rows_total']:,} rows",
        )
    for side in ("project", "dlt"):
        run = _get(details, "fetch_vs_dlt", side)
        if run:
            table.add_row(
                f"fetch+load: {side}",
                _fmt(run["seconds"]),
                "",
                f"{run['requests']} requests, peak RSS {run['peak_rss_mb']:.0f} MB",
            )
    backfill = details.get("backfill") or {}
    if "batched" in backfill:
        b = backfill["batched"]
        table.add_row("backfill: batched", _fmt(b["seconds"]), "", f"{b['days']} days in {b['runs']} runs")
        s = backfill["per_partition_sample"]
        table.add_row(
            "backfill: run per day",
            _fmt(backfill["per_partition_extrapolated_s"]),
            "",
            f"extrapolated from {s['runs']} runs at {backfill['per_partition_run_s']:.2f} s each",
        )
        table.add_row(
            "backfill: process per day",
            _fmt(backfill["per_partition_fresh_process_extrapolated_s"]),
            "",
            f"extrapolated, {backfill['per_partition_fresh_process_run_s']:.2f} s per run incl. start-up",
        )
    memory = details.get("memory_10x") or {}
    if memory.get("killed_by_guard"):
        table.add_row(
            "backfill 10x (memory)",
            "-",
            "",
            f"killed by the memory guard at {memory['peak_rss_mb']:.0f} MB after {memory['days_landed_before_kill']} of the days",
        )
    elif "peak_rss_mb" in memory:
        table.add_row(
            "backfill 10x (memory)",
            _fmt(memory["seconds"]),
            "",
            f"peak RSS {memory['peak_rss_mb']:.0f} MB, {memory['published_papers']:,} papers",
        )
    console.print(table)


def _queries(console: Console, details: dict) -> None:
    q1, q10 = (_get(details, f"queries_{s}", "queries") or {} for s in ("1x", "10x"))
    if not (q1 or q10):
        return
    papers = [_get(details, f"queries_{s}", "warehouse", "papers") for s in ("1x", "10x")]
    table = Table(
        "dashboard query",
        "p50 1x",
        "p95 1x",
        "p50 10x",
        "p95 10x",
        title=f"Dashboard queries, ms (1x = {_fmt(papers[0])} papers, 10x = {_fmt(papers[1])})",
    )
    for name in sorted(set(q1) | set(q10)):
        a, b = q1.get(name, {}), q10.get(name, {})
        table.add_row(
            escape(name), _fmt(a.get("p50_ms"), 0), _fmt(a.get("p95_ms"), 0), _fmt(b.get("p50_ms"), 0), _fmt(b.get("p95_ms"), 0)
        )
    console.print(table)
