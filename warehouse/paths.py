"""Where the product keeps its files under one home folder (the contract in DESIGN.md).

The home is `Settings.papers_home` (`$PAPERS_HOME`). The published warehouse readers open is
`<home>/warehouse.duckdb`; Dagster writes `<home>/work/warehouse.duckdb` and publishes it; nobody
else opens that working file. This module only names paths: it reads no environment.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DuckLakeLocation:
    """Where a DuckLake warehouse is: `catalog` is the part after `ducklake:` in DuckDB's
    `ATTACH 'ducklake:<catalog>'` (e.g. `postgres:dbname=papers host=/run/postgresql`), and
    `data_path` the folder (or object-store URL) its Parquet files go to."""

    catalog: str
    data_path: str

    def describe(self) -> str:
        """The location for messages and metadata, without a password the catalog may hold."""
        shown = " ".join("password=***" if part.lower().startswith("password=") else part for part in self.catalog.split())
        return f"ducklake:{shown} (data {self.data_path})"


@dataclass(frozen=True)
class WarehousePaths:
    """The files and folders inside one home folder, and the DuckLake warehouse when one is
    configured (then it, not the two DuckDB files, is the warehouse)."""

    home: Path
    ducklake: DuckLakeLocation | None = None

    @property
    def published_path(self) -> Path:
        """The published, read-only snapshot every reader opens."""
        return self.home / "warehouse.duckdb"

    @property
    def working_path(self) -> Path:
        """The file Dagster writes; only the single writer opens it."""
        return self.home / "work" / "warehouse.duckdb"

    @property
    def raw_dir(self) -> Path:
        """Verbatim API responses, one folder per listing date and fetch."""
        return self.home / "raw" / "daily_papers"

    @property
    def listings_dir(self) -> Path:
        """Saved listing pages dropped here are imported by the listing sensor."""
        return self.home / "listings"

    @property
    def digests_dir(self) -> Path:
        """Weekly digests (`<week_start>.md`, `.html`) and their Atom `feed.xml`."""
        return self.home / "digests"
