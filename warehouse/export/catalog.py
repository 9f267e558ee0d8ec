"""The tables an export holds: grain, description, layout and column descriptions (catalog.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

CATALOG_PATH = Path(__file__).with_name("catalog.toml")
# The hive partition column of the partitioned tables: the month of listing_date, 'YYYY-MM'.
PARTITION_COLUMN = "listing_month"


@dataclass(frozen=True)
class ExportTable:
    """One warehouse table as the export writes it."""

    name: str
    grain: str
    description: str
    partitioned: bool
    order_by: tuple[str, ...]
    columns: dict[str, str]  # column name -> description, in the warehouse's column order

    @property
    def glob(self) -> str:
        """Its Parquet files, relative to the export folder (what a reader passes to read_parquet)."""
        return f"{self.name}/*/*.parquet" if self.partitioned else f"{self.name}/*.parquet"


@dataclass(frozen=True)
class Catalog:
    """Every exported table, and the warehouse tables left out with the reason."""

    tables: tuple[ExportTable, ...]
    not_exported: dict[str, str]


def load_catalog(path: Path = CATALOG_PATH) -> Catalog:
    """Read the catalog; a malformed entry raises ValueError naming the table and key."""
    data = tomllib.loads(path.read_text())
    tables = []
    for name, entry in data["tables"].items():
        try:
            tables.append(
                ExportTable(
                    name=name,
                    grain=entry["grain"],
                    description=entry["description"],
                    partitioned=bool(entry["partitioned"]),
                    order_by=tuple(entry["order_by"]),
                    columns=dict(entry["columns"]),
                )
            )
        except KeyError as missing:
            raise ValueError(f"{path}: table {name} has no {missing}") from None
    return Catalog(tables=tuple(tables), not_exported=dict(data.get("not_exported", {})))
