"""A reader that holds the published warehouse open the whole time, as a dashboard would.

Run as `python -m tests.e2e.reader_process PATH OUT STOPFILE`. It keeps one read-only connection
open throughout, and also opens a fresh one in a loop to see each new publish. For every
snapshot it records papers per day and (papers, author slots) per day, so the test can prove no
snapshot ever held half a day. Errors are recorded, never raised.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

SNAPSHOT_SQL = (
    "SELECT p.listing_date::VARCHAR, count(DISTINCT p.paper_id), count(pa.position) "
    "FROM papers p LEFT JOIN paper_authors pa USING (paper_id) GROUP BY 1 ORDER BY 1"
)


def main(path: str, out: str, stop_file: str) -> None:
    held = duckdb.connect(path, read_only=True)
    snapshots, errors = [], []
    while not Path(stop_file).exists():
        try:
            held.execute(SNAPSHOT_SQL).fetchall()
            with duckdb.connect(path, read_only=True) as fresh:
                snapshots.append(fresh.execute(SNAPSHOT_SQL).fetchall())
        except Exception as error:  # noqa: BLE001 - every error is the finding
            errors.append(f"{type(error).__name__}: {error}")
        time.sleep(0.05)
    held.close()
    Path(out).write_text(json.dumps({"snapshots": snapshots, "errors": errors}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
