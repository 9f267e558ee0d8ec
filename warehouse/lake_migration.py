"""Copying a whole warehouse between the local file and DuckLake, atomically, either way.

Into DuckLake: every table of the published file replaces the lake's table of that name in one
DuckLake transaction, committed as a published snapshot: readers see the old warehouse or the
copy, never a mix, and a copy that fails leaves the lake as it was.
Into the file: the lake's newest published snapshot is written to a new DuckDB file (our schema,
keys and indexes included), checked, then renamed over the working file and published by the
file's own copy-and-swap; the files it replaces are kept beside them as `*.before-migrate`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse import ducklake
from warehouse.db import connect_lake_writer, connect_writer
from warehouse.paths import DuckLakeLocation
from warehouse.publish import PublishResult, checkpoint_and_log, log_publish, publish_file

# Bookkeeping of one warehouse that the copy must not carry over: the schema fingerprint (each
# side applies its own DDL) and the lake's writer turn (warehouse/ducklake.py).
NOT_COPIED = {"schema_applied", "writer_turn"}
SOURCE = "migrate_source"


@dataclass(frozen=True)
class MigrationResult:
    """What a copy did: rows per table, and what was published."""

    rows: dict[str, int]
    published: PublishResult | str


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' ORDER BY table_name", [catalog]
    ).fetchall()
    return [name for (name,) in rows if name not in NOT_COPIED]


def _copy_tables(con: duckdb.DuckDBPyConnection, source: str, target: str) -> dict[str, int]:
    """Replace every table of `target` that `source` has with `source`'s rows (caller's transaction)."""
    existing = set(_tables(con, target))
    rows = {}
    for table in _tables(con, source):
        if table in existing:
            con.execute(f'DELETE FROM "{target}".{table}')
            con.execute(f'INSERT INTO "{target}".{table} BY NAME SELECT * FROM "{source}".{table}')
        else:  # a table our schema files do not make (kept, so nothing of the warehouse is lost)
            con.execute(f'CREATE TABLE "{target}".{table} AS SELECT * FROM "{source}".{table}')
        rows[table] = con.execute(f'SELECT count(*) FROM "{target}".{table}').fetchall()[0][0]
        expected = con.execute(f'SELECT count(*) FROM "{source}".{table}').fetchall()[0][0]
        if rows[table] != expected:
            raise RuntimeError(f"{table}: copied {rows[table]} rows of {expected}")
    return rows


def file_to_lake(published_path: Path, lake: DuckLakeLocation) -> MigrationResult:
    """Copy the published file warehouse into the lake, replacing its tables, in one commit."""
    if not published_path.exists():
        raise FileNotFoundError(f"No file warehouse at {published_path} to copy into DuckLake")
    con = connect_lake_writer(lake)
    try:
        con.execute(f"ATTACH {ducklake.sql_literal(str(published_path))} AS {SOURCE} (READ_ONLY)")

        def copy() -> tuple[dict[str, int], int]:
            con.execute("BEGIN TRANSACTION")
            ducklake.claim_writer_turn(con)
            rows = _copy_tables(con, SOURCE, ducklake.LAKE)
            log_publish(con, "papers warehouse migrate --to ducklake")
            return rows, ducklake.commit_published(con, "migrate")

        rows, snapshot = ducklake.retry_on_conflict(copy)
    finally:
        con.close()
    return MigrationResult(rows, f"{lake.describe()} snapshot {snapshot}")


def lake_to_file(lake: DuckLakeLocation, working_path: Path, published_path: Path) -> MigrationResult:
    """Write the lake's newest published snapshot as the file warehouse (working and published)."""
    snapshot = ducklake.newest_published(lake)
    working_path.parent.mkdir(parents=True, exist_ok=True)
    staging = working_path.with_name(working_path.name + ".migrating")
    staging.unlink(missing_ok=True)
    con = connect_writer(staging)
    try:
        ducklake.load_extensions(con)
        con.execute(
            f"ATTACH {ducklake.sql_literal('ducklake:' + lake.catalog)} AS {SOURCE} (READ_ONLY, SNAPSHOT_VERSION {snapshot})"
        )
        con.execute("BEGIN TRANSACTION")
        rows = _copy_tables(con, SOURCE, _current_catalog(con))
        con.execute("COMMIT")
        con.execute(f"DETACH {SOURCE}")
        published_at = checkpoint_and_log(con, "papers warehouse migrate --to file")
    except BaseException:
        con.close()
        staging.unlink(missing_ok=True)
        raise
    con.close()
    for path in (working_path, published_path):
        if path.exists():
            os.replace(path, path.with_name(path.name + ".before-migrate"))
    os.replace(staging, working_path)
    return MigrationResult(rows, publish_file(working_path, published_path, published_at))


def _current_catalog(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("SELECT current_database()").fetchall()[0][0]
