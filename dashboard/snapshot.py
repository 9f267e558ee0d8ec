"""Short-lived, read-only connections to the published warehouse snapshot.

Dagster swaps a new snapshot in with `os.replace`. DuckDB's Python client caches one database
instance per path while any connection to it is open, so `duckdb.connect(path)` can hand back
the *old* file for as long as some other dashboard session still holds a connection. Attaching
the file to a fresh in-memory database opens it anew every time, so each query sees the newest
publish and nobody ever holds the file open between queries.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

CATALOG = "published"

HOW_TO_CREATE = (
    "No published warehouse yet. Create one with `papers up` (loads the bundled sample days) "
    "or `papers backfill --start YYYY-MM-DD --end YYYY-MM-DD` (fetches from Hugging Face), "
    "then reload this page."
)


class WarehouseMissing(FileNotFoundError):
    """The published warehouse file does not exist yet."""


@contextmanager
def open_snapshot(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the published warehouse at `path` read-only for one unit of work, then close it."""
    if not path.exists():
        raise WarehouseMissing(f"{HOW_TO_CREATE} (looked for {path})")
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH ? AS {CATALOG} (READ_ONLY)", [str(path)])
        con.execute(f"USE {CATALOG}")
        yield con
    finally:
        con.close()
