"""Readers of the published warehouse during a backfill, each in its own process.

`python -m tests.e2e.reader_process MODE PATH OUT STOPFILE`, MODE is:
- `hold`: one read-only connection held open the whole time, as a dashboard would hold it;
- `poll`: a fresh read-only connection per look, to see each new publish. (Not in the same process
  as `hold`: DuckDB reuses an open database instance for the same path within a process.)
Every look records papers and author slots per day, so the test can prove no snapshot ever held
half a day. Errors are recorded, never raised. One last look is taken after STOPFILE appears.
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

# Seconds between looks. A look through a fresh connection costs ~13-25 ms of CPU (a held one ~2 ms):
# looking every 50 ms could keep a quarter of a core busy beside the backfill it watches. A publish is a rename, so a snapshot is
# old or new; a half day (a load writing into the published file) would last the whole load, seconds.
PAUSE_S = {"hold": 0.05, "poll": 0.25}


def main(mode: str, path: str, out: str, stop_file: str) -> None:
    held = duckdb.connect(path, read_only=True) if mode == "hold" else None
    snapshots, errors = [], []

    def look() -> None:
        try:
            if held is not None:
                snapshots.append(held.execute(SNAPSHOT_SQL).fetchall())
            else:
                with duckdb.connect(path, read_only=True) as fresh:
                    snapshots.append(fresh.execute(SNAPSHOT_SQL).fetchall())
        except Exception as error:  # noqa: BLE001 - every error is the finding
            errors.append(f"{type(error).__name__}: {error}")

    while not Path(stop_file).exists():
        look()
        time.sleep(PAUSE_S[mode])
    look()
    if held is not None:
        held.close()
    Path(out).write_text(json.dumps({"snapshots": snapshots, "errors": errors}))


if __name__ == "__main__":
    main(*sys.argv[1:5])
