"""Where an entity page's time goes: each data call of `bench.dashboard_calls.entity_page_calls`
timed apart (wall and process CPU, median and p95 of REPEATS after one warm-up), on the largest
entity of each kind, and the rows each table scan of the page's SQL read (DuckDB's profile).

    python -m bench.entity_page_steps WAREHOUSE REPEATS [OUT.json]

Run with the tree to measure first on PYTHONPATH. The steps are those of this tree's page: with
`entity_keys` (one scan) if the repository has it, else the six calls of the macros.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from bench.dashboard_calls import KIND_KEYS, sample_arguments
from bench.query_timing_child import timed


def steps(repo, kind: str, key: str) -> dict[str, Callable[[], object]]:
    """The page's data calls in order, each a zero-argument call (the keys found beforehand)."""
    from dashboard.entity_page import PAGE_ROWS, PEOPLE_LATEST_PAPERS, RELATED_SHOWN

    extra: dict = {}
    found: dict[str, Callable[[], object]] = {"profile": lambda: repo.entity_profile(kind, key)}
    if hasattr(repo, "entity_keys"):
        extra = {"keys": repo.entity_keys(kind, key)}
        found["keys"] = lambda: repo.entity_keys(kind, key)
    found |= {
        "figures": lambda: repo.entity_figures(kind, key, **extra),
        "months": lambda: repo.entity_months(kind, key, **extra),
        "papers_page": lambda: repo.entity_papers_page(kind, key, PAGE_ROWS, **extra),
        "people_page": lambda: repo.entity_people_page(kind, key, PAGE_ROWS, 0, PEOPLE_LATEST_PAPERS, **extra),
        "related": lambda: repo.entity_related(kind, key, RELATED_SHOWN, **extra),
    }
    return found


def scanned_rows(repo, call: Callable[[], object]) -> list[dict]:
    """Every table scan of the SQL `call` runs: table, scan type and rows out, from DuckDB's profile."""
    ran: list[tuple[str, object]] = []
    frame = repo.frame

    def recording(sql, params=None):
        ran.append((sql, params))
        return frame(sql, params)

    repo.frame = recording
    try:
        call()
    finally:
        del repo.frame
    from dashboard.snapshot import open_snapshot

    scans: list[dict] = []
    with open_snapshot(repo.path) as con:
        for sql, params in ran:
            plan = json.loads(con.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params or []).fetchall()[0][1])
            scans += [s for child in plan["children"] for s in _scans(child)]
    return scans


def _scans(node: dict) -> list[dict]:
    info = node.get("extra_info", {})
    here = []
    if "Table" in info:
        here.append({"table": info["Table"], "type": info.get("Type"), "rows": node.get("operator_cardinality")})
    return here + [s for child in node.get("children", []) for s in _scans(child)]


def main(warehouse: Path, repeats: int) -> dict:
    """{kind: {key, steps: {step: figures and scans}}} on the largest entity of each kind."""
    from dashboard.repository import WarehouseRepository

    repo = WarehouseRepository(warehouse, remember=False)
    args = sample_arguments(repo)
    out: dict = {}
    for kind, arg in KIND_KEYS.items():
        key = args[arg]
        out[kind] = {"key": key, "steps": {}}
        for name, call in steps(repo, kind, key).items():
            call()  # the warm-up
            out[kind]["steps"][name] = {**timed(call, repeats), "scans": scanned_rows(repo, call)}
    return out


if __name__ == "__main__":
    warehouse_arg, repeats_arg, *rest = sys.argv[1:]
    result = main(Path(warehouse_arg), int(repeats_arg))
    text = json.dumps(result, indent=1, default=str)
    if rest:
        Path(rest[0]).write_text(text)
    for kind, found in result.items():
        print(kind, found["key"])
        for name, figures in found["steps"].items():
            scans = ", ".join(f"{s['table'].split('.')[-1]} {s['type']} {s['rows']:,}" for s in figures["scans"])
            print(f"  {name:12} p50 {figures['p50_ms']:6.1f} cpu p50 {figures['cpu_p50_ms']:6.1f} ms  [{scans}]")
