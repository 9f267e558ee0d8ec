"""Stands in for the dashboard process in memory tests: runs one console query, prints the outcome.

`python -m tests.dashboard.console_harness <db> <sql file> <limits json> [<worker>]` prints one JSON
line: status, message, rows, truncated and this process's peak RSS (ru_maxrss, exact, its own
memory only, not the worker's).
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

from dashboard.sql_console import WORKER_PATH, ConsoleLimits, run_console_query


def main() -> None:
    db, sql_file, limits_json = sys.argv[1:4]
    worker = Path(sys.argv[4]) if len(sys.argv) > 4 else WORKER_PATH
    limits = ConsoleLimits(**json.loads(limits_json))
    result = run_console_query(Path(db), Path(sql_file).read_text(), limits, worker=worker)
    print(json.dumps({
        "status": result.status,
        "message": result.message,
        "rows": len(result.frame),
        "truncated": result.truncated,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))


if __name__ == "__main__":
    main()
