"""Where the product keeps its files, from the environment (the contract in DESIGN.md).

`PAPERS_HOME` holds everything; the published warehouse readers open is
`$PAPERS_HOME/warehouse.duckdb`. Dagster writes `$PAPERS_HOME/work/warehouse.duckdb` and
publishes it; nobody else opens that working file.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def papers_home() -> Path:
    """The folder for all data: `$PAPERS_HOME`, else `data/` at the repo root."""
    return Path(os.environ.get("PAPERS_HOME") or REPO_ROOT / "data").resolve()


def published_warehouse_path() -> Path:
    """The published, read-only snapshot every reader opens."""
    return papers_home() / "warehouse.duckdb"


def working_warehouse_path() -> Path:
    """The file Dagster writes; only the single writer opens it."""
    return papers_home() / "work" / "warehouse.duckdb"


def raw_dir() -> Path:
    """Verbatim API responses, one folder per listing date and fetch."""
    return papers_home() / "raw" / "daily_papers"


def listings_dir() -> Path:
    """Saved listing pages dropped here are imported by the listing sensor."""
    return papers_home() / "listings"


def dagster_home() -> Path:
    """`$DAGSTER_HOME`, else a folder inside `$PAPERS_HOME`."""
    return Path(os.environ.get("DAGSTER_HOME") or papers_home() / "dagster").resolve()
