"""The full search build alone: `rebuild_derived_tables` (search index and similar papers over
every paper, what the search step of a backfill from empty runs) on a fresh copy of a warehouse
file, round after round. Prints wall and CPU seconds (DuckDB's threads included) and the peak
resident memory of the build per round, and their medians.

    .venv/bin/python -m bench.measure_search_build WAREHOUSE [--rounds 3] [--work DIR] [--first-limit-only]

The file is only read (each round builds on its own copy). Run it from two trees (the same venv)
to compare their builds. `--first-limit-only`: the build may use only the first of
REBUILD_MEMORY_LIMITS, and fails (out of memory) where it would have been retried with more.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.json_output import print_result
from bench.peak_memory import own_peak_rss_mb
from warehouse import derived
from warehouse.db import connect_writer, scalar


def reset_peak_rss() -> bool:
    """Start the process's peak RSS (VmHWM) afresh from its current RSS; False where Linux's
    /proc/self/clear_refs is not available (the peak is then the process's whole life's)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def one_round(source: Path, work: Path) -> dict:
    """Copy `source`, open it as the writer does, and time a full build on the copy."""
    copy = work / "warehouse.duckdb"
    copy.unlink(missing_ok=True)
    shutil.copyfile(source, copy)
    con = connect_writer(copy)  # the writer's memory limit; DuckDB imports pandas here, as in a run
    try:
        papers = scalar(con, "SELECT count(*) FROM papers")
        peak_reset = reset_peak_rss()
        cpu, wall = time.process_time(), time.perf_counter()
        counts = derived.rebuild_derived_tables(con)
        result = {
            "papers": papers,
            "wall_s": time.perf_counter() - wall,
            "cpu_s": time.process_time() - cpu,
            "peak_rss_mb": own_peak_rss_mb(),
            "peak_rss_of_build_only": peak_reset,
            "counts": counts,
        }
    finally:
        con.close()
        copy.unlink(missing_ok=True)
    return result


def main(argv: list[str] | None = None) -> int:
    """Command line: run the rounds; print (or write) the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("warehouse", type=Path, help="a warehouse file with papers (copied, not written)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, help="folder for the copies (default: a temporary one)")
    parser.add_argument("--first-limit-only", action="store_true", help="fail rather than retry under a higher limit")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    if not args.warehouse.is_file():
        parser.error(f"no warehouse file at {args.warehouse}")
    if args.first_limit_only:
        derived.REBUILD_MEMORY_LIMITS = derived.REBUILD_MEMORY_LIMITS[:1]
    work = args.work or Path(tempfile.mkdtemp(prefix="search-build-"))
    work.mkdir(parents=True, exist_ok=True)
    result: dict = {
        "warehouse": str(args.warehouse),
        "memory_limits": list(derived.REBUILD_MEMORY_LIMITS),
        "load_average_start": os.getloadavg(),
    }
    rounds = [one_round(args.warehouse, work) for _ in range(args.rounds)]
    result["rounds"] = rounds
    for figure in ("wall_s", "cpu_s", "peak_rss_mb"):
        result[f"median_{figure}"] = statistics.median(r[figure] for r in rounds)
    result["load_average_end"] = os.getloadavg()
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    print_result(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
