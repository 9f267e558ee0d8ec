"""`export_warehouse`: the published warehouse as Parquet files plus a data card, swapped in whole."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from warehouse import ducklake
from warehouse.db import connect_reader
from warehouse.export.card import Snapshot, schema_document, write_card
from warehouse.export.catalog import Catalog, load_catalog
from warehouse.export.parquet import WrittenTable, count_files, warehouse_columns, write_table
from warehouse.export.target import prepare_target, staging_folder, swap_in
from warehouse.paths import DuckLakeLocation


class ExportVerifyError(RuntimeError):
    """The files read back do not hold the rows written (the export is not swapped in)."""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    out: Path
    tables: list[WrittenTable]
    snapshot: Snapshot
    files: int
    size_bytes: int


def _snapshot(con: duckdb.DuckDBPyConnection) -> Snapshot:
    dates = "SELECT min(listing_date), max(listing_date), count(DISTINCT listing_date) FROM papers"
    first, last, days = con.execute(dates).fetchall()[0]
    published_at = con.execute("SELECT max(published_at) FROM publish_log").fetchall()[0][0]
    newest = con.execute("SELECT max(observed_at) FROM votes").fetchall()[0][0]
    return Snapshot(first, last, days, published_at, newest)


def _verify(con: duckdb.DuckDBPyConnection, folder: Path, tables: list[WrittenTable]) -> None:
    """Read every table's files back and compare their rows (per month too) with what was written."""
    for written in tables:
        rows, partitions = count_files(con, folder, written)
        if rows != written.rows or partitions != written.partitions:
            raise ExportVerifyError(
                f"{written.table.name}: the warehouse has {written.rows} rows {written.partitions or ''}, "
                f"its Parquet files {rows} {partitions or ''}"
            )


def export_warehouse(
    published: Path | DuckLakeLocation,
    out: Path,
    catalog: Catalog | None = None,
    on_table_written: Callable[[WrittenTable], None] = lambda written: None,
) -> ExportResult:
    """Export every table of the catalog from the published warehouse to `out` (see docs/export.md):
    the file at `published`, or the DuckLake warehouse's newest published snapshot.

    The warehouse is opened read-only (a running load or publish is never blocked) and all tables
    are read in one transaction, so they describe one snapshot. The files are written to a staging
    folder beside `out`, read back and counted, described (README.md, schema.json) and only then
    swapped in: a failure anywhere leaves the previous export at `out` as it was.
    Raises FileNotFoundError (no published warehouse or snapshot), ExportTargetError (`out` cannot take an
    export) or the error that stopped the export.
    """
    catalog = catalog or load_catalog()
    # The lake is attached at one snapshot, so a load committing meanwhile is never exported.
    con = ducklake.connect_reader(published) if isinstance(published, DuckLakeLocation) else connect_reader(published)
    try:
        out = prepare_target(out)
        with staging_folder(out) as staging:
            con.execute("BEGIN TRANSACTION")
            columns = warehouse_columns(con)
            tables = []
            for table in catalog.tables:
                tables.append(write_table(con, columns, table, staging))
                on_table_written(tables[-1])
            snapshot = _snapshot(con)
            con.execute("COMMIT")
            _verify(con, staging, tables)
            write_card(staging, schema_document(tables, snapshot, datetime.now(UTC), catalog.not_exported))
            files = [path for path in staging.rglob("*") if path.is_file()]
            size = sum(path.stat().st_size for path in files)
            swap_in(staging, out)
    finally:
        con.close()
    return ExportResult(out=out, tables=tables, snapshot=snapshot, files=len(files), size_bytes=size)
