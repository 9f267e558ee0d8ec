"""Stands in for the dashboard process: runs one console query, prints the outcome.

`python -m bench.console_harness <db> <sql file> <limits json> [<worker>]` prints one JSON line
(`<db>` = `ducklake`: the DuckLake warehouse PAPERS_DUCKLAKE_* name):
status, message, rows, truncated, the seconds the console call took and this process's own peak RSS (VmHWM: exact, and not the
worker's nor the parent's).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bench.peak_memory import own_peak_rss_mb
from dashboard.sql_console_runner import WORKER_PATH, ConsoleLimits, run_console_query
from papers_settings import Settings
from warehouse.paths import DuckLakeLocation

LAKE_ARGUMENT = "ducklake"


def source(db: str) -> Path | DuckLakeLocation:
    """The warehouse file `db`, or the configured DuckLake warehouse when `db` is `ducklake`."""
    if db != LAKE_ARGUMENT:
        return Path(db)
    lake = Settings.from_env().warehouse.ducklake
    if lake is None:
        raise SystemExit("`ducklake` needs PAPERS_DUCKLAKE_CATALOG and PAPERS_DUCKLAKE_DATA_PATH set")
    return lake


def main() -> None:
    db, sql_file, limits_json = sys.argv[1:4]
    worker = Path(sys.argv[4]) if len(sys.argv) > 4 else WORKER_PATH
    limits = ConsoleLimits(**json.loads(limits_json))
    sql = Path(sql_file).read_text()
    started = time.monotonic()
    result = run_console_query(source(db), sql, limits, worker=worker)
    console_s = time.monotonic() - started
    print(
        json.dumps(
            {
                "status": result.status,
                "message": result.message,
                "rows": len(result.frame),
                "truncated": result.truncated,
                "console_s": console_s,
                "peak_rss_bytes": int(own_peak_rss_mb() * 2**20),
            }
        )
    )


if __name__ == "__main__":
    main()
