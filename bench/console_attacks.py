"""What hostile SQL costs the dashboard: each attack run through the console, memory and time measured.

`python -m bench.console_attacks [warehouse]` (default: the published warehouse of `$PAPERS_HOME`, or
the DuckLake warehouse when PAPERS_DUCKLAKE_* are set; `ducklake` names that one explicitly)
runs every attack in a fresh process that stands in for the dashboard (`bench.console_harness`),
samples its RSS and its worker's with psutil, and prints one row per attack: the console's answer,
the time from the call to the answer on screen (worker start, parse, run, reply), the dashboard
side's peak (the larger of the samples and its own VmHWM) and the worker's sampled peak. The tests
use `measure` to assert the memory bounds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from papers_settings import REPO_ROOT

NESTED_800_KB = "SELECT " + "(" * 400_000 + "1" + ")" * 400_000

# (name, SQL, ConsoleLimits fields that differ from the page's)
ATTACKS: list[tuple[str, str, dict[str, Any]]] = [
    ("800 kB nested query", NESTED_800_KB, {}),
    ("800 kB nested query, length check lifted", NESTED_800_KB, {"max_sql_chars": 1_000_000}),
    ("list_sum(range(1e9))", "SELECT list_sum(range(1000000000))", {}),
    ("1,000 x 1 MB strings", "SELECT i, repeat('x', 1000000) AS s FROM range(1000) t(i)", {}),
    ("1,000 x 100 kB strings", "SELECT i, repeat('x', 100000) AS s FROM range(1000) t(i)", {}),
    ("never-ending recursion", "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r", {}),
    ("a normal query", "SELECT count(*) AS n FROM papers", {}),
]


@dataclass
class Measured:
    """One console query run in a harness process: its answer, wall time and memory peaks (bytes)."""

    outcome: dict
    wall_s: float
    dashboard_peak: int
    worker_peak: int


def measure(db: Path | str, sql: str, worker: Path | None = None, **limits) -> Measured:
    """Run `sql` through the console in a harness process, sampling its and its worker's RSS every 20 ms."""
    with tempfile.TemporaryDirectory(prefix="console-attack-") as scratch:
        sql_file = Path(scratch) / "query.sql"
        sql_file.write_text(sql)
        args = [sys.executable, "-m", "bench.console_harness", str(db), str(sql_file), json.dumps(limits)]
        started = time.monotonic()
        harness = subprocess.Popen(
            args + ([str(worker)] if worker else []), cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        watched = psutil.Process(harness.pid)
        dashboard_peak = worker_peak = 0
        while harness.poll() is None:
            try:
                dashboard_peak = max(dashboard_peak, watched.memory_info().rss)
                for child in watched.children(recursive=True):
                    worker_peak = max(worker_peak, child.memory_info().rss)
            except psutil.NoSuchProcess:
                pass
            time.sleep(0.02)
        out, err = harness.communicate()
        wall_s = time.monotonic() - started
    if harness.returncode != 0:
        raise RuntimeError(f"the console harness failed: {err}")
    outcome = json.loads(out)
    return Measured(outcome, wall_s, max(dashboard_peak, outcome["peak_rss_bytes"]), worker_peak)


def main() -> None:
    """Print one row per attack."""
    from papers_settings import Settings

    warehouse = Settings.from_env().warehouse
    default = "ducklake" if warehouse.ducklake else str(warehouse.published_path)
    db = sys.argv[1] if len(sys.argv) > 1 else default
    print(f"{'attack':44} {'status':9} {'answer s':>8} {'dashboard MB':>13} {'worker MB':>10}  message")
    for name, sql, limits in ATTACKS:
        m = measure(db, sql, **limits)
        print(
            f"{name:44} {m.outcome['status']:9} {m.outcome['console_s']:8.1f} {m.dashboard_peak / 1e6:13.0f} "
            f"{m.worker_peak / 1e6:10.0f}  {m.outcome['message'][:70]}"
        )


if __name__ == "__main__":
    main()
