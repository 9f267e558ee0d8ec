"""Dashboard queries: p50/p95 latency of every repository method on a published warehouse.

Calls go through the dashboard's own repository, so they read the snapshot the way the dashboard
does (attached once, one cursor per query); one warm-up call per query is not counted. The
repository's memory of results per snapshot is off (`remember=False`): what is timed is the query,
as a page pays it the first time anyone asks it on a new snapshot.
"""

from __future__ import annotations

import time
from pathlib import Path

from bench.dashboard_calls import dashboard_calls


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def time_queries(published: Path, repeats: int) -> dict:
    """{query: {p50_ms, p95_ms, max_ms}} plus the skipped queries and any that failed."""
    from dashboard.repository import WarehouseRepository

    calls, skipped = dashboard_calls(WarehouseRepository(published, remember=False))
    results: dict[str, dict] = {}
    failed: dict[str, str] = {}
    for name, call in sorted(calls.items()):
        try:
            call()
        except Exception as error:  # a broken query is a result to report, not a crash
            failed[name] = f"{type(error).__name__}: {error}"[:300]
            continue
        samples = []
        for _ in range(repeats):
            started = time.perf_counter()
            call()
            samples.append((time.perf_counter() - started) * 1000)
        results[name] = {"p50_ms": percentile(samples, 50), "p95_ms": percentile(samples, 95), "max_ms": max(samples)}
    return {"queries": results, "skipped": skipped, "failed": failed, "repeats": repeats}
