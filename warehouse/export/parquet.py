"""Writing one warehouse table as Parquet with DuckDB's COPY, and counting what was written.

The Parquet options are the ones old readers understand (docs/export.md says which were checked):

- `COMPRESSION snappy`: every Parquet reader has it (zstd is smaller, but older readers lack it).
- `PARQUET_VERSION V1`: version-1 data pages and plain/dictionary encodings; V2 pages and the
  DELTA encodings are refused by older readers.
- Timestamps are written as instants in UTC (`TIMESTAMP WITH TIME ZONE`): DuckDB then sets the
  legacy converted type TIMESTAMP_MICROS beside the logical type. A plain TIMESTAMP is written as
  a logical type only (isAdjustedToUTC=false), which readers that know only the converted types
  read as a bare 64-bit integer. The warehouse's timestamps are all UTC, so no value changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse.export.catalog import PARTITION_COLUMN, ExportTable

PARQUET_OPTIONS = "FORMAT parquet, COMPRESSION snappy, PARQUET_VERSION V1"


@dataclass(frozen=True)
class ExportColumn:
    """A column as it is in the Parquet files."""

    name: str
    type: str  # the DuckDB type a reader gets back
    nullable: bool
    description: str


@dataclass(frozen=True)
class WrittenTable:
    """What the export wrote for one table."""

    table: ExportTable
    columns: tuple[ExportColumn, ...]
    rows: int
    partitions: dict[str, int]  # listing_month -> rows (empty for a table in one file)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def warehouse_columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str, bool]]]:
    """(name, type, nullable) of every table's columns, in table order, by table name.

    One query with no parameters: binding a parameter makes DuckDB's Python client import pandas
    and pyarrow (seconds on a busy machine), which nothing else in an export needs.
    """
    rows = con.execute(
        "SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns() "
        "WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index"
    ).fetchall()
    tables: dict[str, list[tuple[str, str, bool]]] = {}
    for table, name, data_type, nullable in rows:
        tables.setdefault(table, []).append((name, data_type, bool(nullable)))
    return tables


def _columns_of(columns: dict[str, list[tuple[str, str, bool]]], table: str) -> list[tuple[str, str, bool]]:
    if table not in columns:
        raise RuntimeError(
            f"the published warehouse has no table {table} (published by an older release: the next load republishes it)"
        )
    return columns[table]


def export_select(columns: dict[str, list[tuple[str, str, bool]]], table: ExportTable) -> str:
    """The SELECT whose rows the table's files hold (timestamps as UTC instants, the partition
    column added, rows in the catalog's order)."""
    expressions = []
    for name, data_type, _ in _columns_of(columns, table.name):
        if data_type == "TIMESTAMP":
            expressions.append(f"timezone('UTC', {_quote(name)}) AS {_quote(name)}")
        else:
            expressions.append(_quote(name))
    if table.partitioned:
        expressions.append(f"strftime(listing_date, '%Y-%m') AS {PARTITION_COLUMN}")
    order = ", ".join(_quote(column) for column in table.order_by)
    return f"SELECT {', '.join(expressions)} FROM {_quote(table.name)} ORDER BY {order}"


def write_table(
    con: duckdb.DuckDBPyConnection, columns: dict[str, list[tuple[str, str, bool]]], table: ExportTable, folder: Path
) -> WrittenTable:
    """Write `table` under `folder/<name>/` and return its columns and row counts (`columns`:
    `warehouse_columns(con)`).

    Run inside the export's one transaction, so every table describes the same snapshot.
    """
    select = export_select(columns, table)
    target = folder / table.name
    if table.partitioned:
        options = f"{PARQUET_OPTIONS}, PARTITION_BY ({PARTITION_COLUMN})"
        con.execute(f"COPY ({select}) TO {_literal(str(target))} ({options})")
        target.mkdir(exist_ok=True)  # DuckDB makes no folder for a table without rows
        counts = con.execute(
            f"SELECT strftime(listing_date, '%Y-%m') AS month, count(*) FROM {_quote(table.name)} GROUP BY ALL ORDER BY 1"
        ).fetchall()
        partitions = {month: rows for month, rows in counts}
        rows = sum(partitions.values())
    else:
        target.mkdir()
        con.execute(f"COPY ({select}) TO {_literal(str(target / 'data_0.parquet'))} ({PARQUET_OPTIONS})")
        partitions = {}
        rows = con.execute(f"SELECT count(*) FROM {_quote(table.name)}").fetchall()[0][0]
    nullable = {name: is_nullable for name, _, is_nullable in _columns_of(columns, table.name)}
    written = tuple(
        ExportColumn(
            name=name,
            type=data_type,
            nullable=nullable.get(name, False),
            description=_description(table, name),
        )
        for name, data_type in con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {select})").fetchall()
    )
    return WrittenTable(table=table, columns=written, rows=rows, partitions=partitions)


def _description(table: ExportTable, column: str) -> str:
    if column == PARTITION_COLUMN and table.partitioned:
        return f"month of listing_date, YYYY-MM (only in the folder names {PARTITION_COLUMN}=…)"
    return table.columns.get(column, "not described (a column this release does not know)")


def count_files(con: duckdb.DuckDBPyConnection, folder: Path, written: WrittenTable) -> tuple[int, dict[str, int]]:
    """Rows (and rows per listing_month) found by reading the table's files back."""
    if written.table.partitioned and not written.partitions:
        return 0, {}  # a table without rows has no files to read
    source = f"read_parquet({_literal(str(folder / written.table.glob))}, hive_partitioning = true)"
    if not written.table.partitioned:
        return con.execute(f"SELECT count(*) FROM {source}").fetchall()[0][0], {}
    counts = dict(con.execute(f"SELECT {PARTITION_COLUMN}, count(*) FROM {source} GROUP BY ALL").fetchall())
    return sum(counts.values()), dict(sorted(counts.items()))
