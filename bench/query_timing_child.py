"""One tree's dashboard queries timed on a published file, for bench.ab_queries (run as a script
with PYTHONPATH set to the tree, so `dashboard` and `bench.dashboard_calls` are that tree's).

    PYTHONPATH=TREE python bench/query_timing_child.py WAREHOUSE REPEATS ANSWERS.pickle [NAME ...]

As bench/measure_queries.py times them (the dashboard's repository, remember=False, one warm-up
call not counted), plus the process CPU of each call (every thread: DuckDB's too). Prints
{query: {p50_ms, p95_ms, cpu_p50_ms, cpu_p95_ms}} as JSON; writes each call's answer (of the
warm-up call) to ANSWERS.pickle for bench.ab_queries to compare between trees. NAMEs: only these
queries (default all).
"""

from __future__ import annotations

import json
import pickle
import sys
import time
from collections.abc import Callable
from pathlib import Path


def timed(call: Callable[[], object], repeats: int) -> dict[str, float]:
    """Median and p95 wall and CPU ms of `repeats` calls of `call` (warm it up first)."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    return {
        "p50_ms": percentile(walls, 50),
        "p95_ms": percentile(walls, 95),
        "cpu_p50_ms": percentile(cpus, 50),
        "cpu_p95_ms": percentile(cpus, 95),
    }


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation between closest ranks."""
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def main(published: Path, repeats: int, answers_path: Path, only: list[str]) -> dict:
    """Time every (or every named) query; return the figures, write the answers."""
    from bench.dashboard_calls import dashboard_calls
    from dashboard.repository import WarehouseRepository

    calls, _ = dashboard_calls(WarehouseRepository(published, remember=False))
    figures: dict[str, dict] = {}
    answers: dict[str, object] = {}
    for name, call in sorted(calls.items()):
        if only and name not in only:
            continue
        answers[name] = call()  # also the warm-up
        figures[name] = timed(call, repeats)
    answers_path.write_bytes(pickle.dumps(answers))
    return figures


if __name__ == "__main__":
    path_arg, repeats_arg, answers_arg, *names = sys.argv[1:]
    print(json.dumps(main(Path(path_arg), int(repeats_arg), Path(answers_arg), names)))
