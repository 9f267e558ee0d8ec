"""The DuckLake warehouse backend: what differs from the local DuckDB file, in one place.

DuckLake keeps the tables as Parquet files under a data path and their catalog (which files make
which snapshot) in PostgreSQL, through DuckDB's own `ducklake` and `postgres` extensions. The
same schema files, views, macros, load and search rebuild run on it; what differs is here:

- **DDL**: DuckLake refuses PRIMARY KEY, UNIQUE and indexes, so `lake_ddl` strips them from
  warehouse/schema/*.sql. The keys are kept by the load (delete-then-insert of whole days, MERGE
  for the shared dimensions) and verified by the asset checks after every load.
- **Upserts**: MERGE INTO instead of ON CONFLICT (which needs a key constraint).
- **Publish**: no file swap. A publish is a commit whose snapshot is tagged `published` (its
  commit message); readers attach the lake at the newest tagged snapshot (`SNAPSHOT_VERSION`),
  so a load committed but not yet checked and published is never read.
- **Concurrency**: DuckLake commits optimistically. A DELETE, UPDATE or MERGE on a table conflicts
  with any other transaction that deleted from the same table meanwhile, and two rebuilds conflict
  on the search tables they drop and create: the loser's commit fails and `retry_on_conflict` runs
  its whole transaction again on the new snapshot. Inserts never conflict, so two loads that both
  add the same new author would both commit it (seen: 782 duplicated authors after two concurrent
  backfills): every load and import therefore first takes the writer's turn (`claim_writer_turn`,
  a delete of the one row of WRITER_TURN), which makes any two of them conflict.
- **Extensions** come from the registry's wheels (`duckdb-extension-ducklake`, `-postgres`),
  installed from the wheel's file; DuckDB never downloads one (autoinstall is off).
"""

from __future__ import annotations

import importlib
import json
import random
import re
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import duckdb

from warehouse.paths import DuckLakeLocation

T = TypeVar("T")

LAKE = "lake"  # the catalog name the lake is attached as; writers and readers `USE` it
PUBLISHED_MESSAGE = "published"  # the commit message that tags a published snapshot
COMMIT_AUTHOR = "papers"
# (module of the registry wheel, name of its extension file and of the extension DuckDB loads).
# The postgres file holds the extension `postgres_scanner`, so it cannot be LOADed by its path;
# INSTALL from the file registers it under its own name.
EXTENSIONS = (("duckdb_extension_ducklake", "ducklake"), ("duckdb_extension_postgres", "postgres"))
CONFLICT_ATTEMPTS = 20
# What attaching a lake no writer has created yet says read-only: a PostgreSQL catalog, a local one.
CREATE_ATTEMPTS = 5  # opening a new lake, when another writer is creating it at the same moment
NOT_CREATED_YET = ("creating a new DuckLake is explicitly disabled", "in read-only mode: database does not exist")


class NoPublishedSnapshot(FileNotFoundError):
    """The DuckLake catalog has no published snapshot yet (nothing was loaded)."""


def sql_literal(text: str) -> str:
    """`text` as an SQL string literal (quotes doubled): ATTACH takes no parameters."""
    return "'" + text.replace("'", "''") + "'"


def extension_file(module_name: str, name: str) -> Path:
    """The `.duckdb_extension` file a registry wheel ships for the running DuckDB."""
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise RuntimeError(
            f"The DuckLake warehouse needs the package {module_name.replace('_', '-')}=={duckdb.__version__} "
            "(a dependency of this project: run `uv sync`)"
        ) from error
    path = Path(module.__file__ or "").parent / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not path.exists():
        raise RuntimeError(f"{path} is missing: the installed {module_name} does not match duckdb {duckdb.__version__}")
    return path


def load_extensions(con: duckdb.DuckDBPyConnection) -> None:
    """Install (from the wheels' files, offline) and load the ducklake and postgres extensions."""
    con.execute("SET autoinstall_known_extensions = false")
    for module_name, name in EXTENSIONS:
        # INSTALL from a local file copies it into DuckDB's extension folder; it never downloads.
        con.execute(f"INSTALL {sql_literal(str(extension_file(module_name, name)))}")
        con.execute(f"LOAD {name}")


def lake_ddl(sql: str) -> str:
    """A schema file's statements without what DuckLake refuses: PRIMARY KEY and UNIQUE
    constraints (a one-column key becomes NOT NULL, as the key made it), and CREATE INDEX
    statements (derived, so there is one copy of the schema)."""
    without_indexes = re.sub(r"CREATE\s+(UNIQUE\s+)?INDEX\b[^;]*;", "", sql, flags=re.IGNORECASE)
    without_table_keys = re.sub(r",\s*(PRIMARY\s+KEY|UNIQUE)\s*\([^)]*\)", "", without_indexes, flags=re.IGNORECASE)
    # A primary key column is NOT NULL on the file (DESCRIBE and the export's schema.json say so): kept.
    key_columns_not_null = re.sub(r"(\w[\w\[\]]*)\s+PRIMARY\s+KEY\b", r"\1 NOT NULL", without_table_keys, flags=re.IGNORECASE)
    return re.sub(r"(\w[\w\[\]]*)\s+UNIQUE\b", r"\1", key_columns_not_null, flags=re.IGNORECASE)


def _connect(
    location: DuckLakeLocation, *, read_only: bool, snapshot: int | None = None, alias: str = LAKE
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached as `alias` and in use. A writer that lost the
    race to create a new lake (another writer created its catalog tables at the same moment)
    opens it again: the lake the other one created."""
    for attempt in range(1, CREATE_ATTEMPTS + 1):
        try:
            return _connect_once(location, read_only=read_only, snapshot=snapshot, alias=alias)
        except RuntimeError as error:
            if read_only or attempt == CREATE_ATTEMPTS or not _lost_creation_race(error):
                raise
            time.sleep(random.uniform(0.2, 1.0))
    raise AssertionError("unreachable: the last attempt returns or raises")


def _lost_creation_race(error: BaseException) -> bool:
    # PostgreSQL refuses the second of two concurrent CREATE TABLEs of one name with a unique
    # violation in its own catalog (pg_type), or says it exists once the first has committed.
    text = str(error)
    return "Failed to initialize DuckLake" in text and ("duplicate key value" in text or "already exists" in text)


def _connect_once(
    location: DuckLakeLocation, *, read_only: bool, snapshot: int | None = None, alias: str = LAKE
) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    try:
        load_extensions(con)
        con.execute("SET enable_progress_bar = false")  # reading the catalog may take seconds: no bar on stderr
        # Spilled work of a large rebuild goes to the temporary folder, not the current one.
        con.execute("SET temp_directory = $dir", {"dir": str(Path(tempfile.gettempdir()) / "papers-ducklake-spill")})
        options = ["READ_ONLY"] if read_only else [f"DATA_PATH {sql_literal(location.data_path)}"]
        if snapshot is not None:
            options.append(f"SNAPSHOT_VERSION {int(snapshot)}")
        con.execute(f"ATTACH {sql_literal('ducklake:' + location.catalog)} AS {alias} ({', '.join(options)})")
        con.execute(f"USE {alias}")
    except duckdb.Error as error:
        con.close()
        if read_only and any(text in str(error) for text in NOT_CREATED_YET):
            raise NoPublishedSnapshot(_nothing_published(location)) from error
        raise RuntimeError(f"Cannot open the DuckLake warehouse {location.describe()}: {error}") from error
    return con


def _nothing_published(location: DuckLakeLocation) -> str:
    return (
        f"No published warehouse in {location.describe()} yet. Load one with `papers backfill "
        "--start YYYY-MM-DD --end YYYY-MM-DD` or copy a file warehouse in with `papers warehouse migrate --to ducklake`."
    )


def connect_writer(
    location: DuckLakeLocation, *, prepare: Callable[[duckdb.DuckDBPyConnection], None]
) -> duckdb.DuckDBPyConnection:
    """The lake attached for writing; `prepare(con)` (the schema step the file writer runs too)
    is retried when another writer creating the same tables wins the race."""
    if "://" not in location.data_path:
        Path(location.data_path).mkdir(parents=True, exist_ok=True)
    con = _connect(location, read_only=False)
    try:
        retry_on_conflict(lambda: prepare(con))
    except BaseException:
        con.close()
        raise
    return con


def published_snapshot(con: duckdb.DuckDBPyConnection, catalog: str = LAKE) -> int | None:
    """The id of the newest published snapshot of the lake attached as `catalog` (None = none)."""
    rows = con.execute(
        f"SELECT max(snapshot_id) FROM {catalog}.snapshots() WHERE commit_message = $message",
        {"message": PUBLISHED_MESSAGE},
    ).fetchall()
    return rows[0][0]


def newest_published(location: DuckLakeLocation) -> int:
    """The newest published snapshot id; NoPublishedSnapshot when nothing was published yet."""
    con = _connect(location, read_only=True)
    try:
        snapshot = published_snapshot(con)
    finally:
        con.close()
    if snapshot is None:
        raise NoPublishedSnapshot(_nothing_published(location))
    return snapshot


def connect_reader(location: DuckLakeLocation, snapshot: int | None = None, alias: str = LAKE) -> duckdb.DuckDBPyConnection:
    """The lake attached read-only as `alias` at `snapshot` (default: the newest published one)."""
    pinned = newest_published(location) if snapshot is None else snapshot
    return _connect(location, read_only=True, snapshot=pinned, alias=alias)


def connect_head(location: DuckLakeLocation) -> duckdb.DuckDBPyConnection:
    """The lake attached read-only at its newest snapshot, to ask which one is published."""
    return _connect(location, read_only=True)


def commit_published(con: duckdb.DuckDBPyConnection, run_id: str | None) -> int:
    """Tag the open transaction's snapshot as published and commit it; returns the snapshot id."""
    info = json.dumps({"run_id": run_id, "at": datetime.now(UTC).isoformat()})
    con.execute(
        f"CALL {LAKE}.set_commit_message($author, $message, extra_info => $info)",
        {"author": COMMIT_AUTHOR, "message": PUBLISHED_MESSAGE, "info": info},
    )
    con.execute("COMMIT")
    return int(
        con.execute(f"SELECT max(snapshot_id) FROM {LAKE}.snapshots() WHERE commit_message = ?", [PUBLISHED_MESSAGE]).fetchall()[
            0
        ][0]
    )


def data_size_bytes(con: duckdb.DuckDBPyConnection) -> int:
    """Bytes of the lake's current data files (the published snapshot's size, roughly)."""
    rows = con.execute(f"SELECT coalesce(sum(file_size_bytes), 0) FROM ducklake_table_info('{LAKE}')").fetchall()
    return int(rows[0][0])


WRITER_TURN = "writer_turn"  # one row, deleted and re-inserted by every keyed write (lake only)


def create_writer_turn(con: duckdb.DuckDBPyConnection) -> None:
    """Make the turn table and its one row (the writer's schema step)."""
    con.execute(f"CREATE TABLE IF NOT EXISTS {WRITER_TURN} (taken_at TIMESTAMP)")
    con.execute(f"INSERT INTO {WRITER_TURN} SELECT current_timestamp WHERE NOT EXISTS (SELECT 1 FROM {WRITER_TURN})")


def claim_writer_turn(con: duckdb.DuckDBPyConnection) -> None:
    """Inside a write transaction on the lake: delete and re-insert the turn row, so this
    transaction conflicts with any other that does (their keys could otherwise collide)."""
    if is_lake(con):
        con.execute(f"DELETE FROM {WRITER_TURN}")
        con.execute(f"INSERT INTO {WRITER_TURN} VALUES (current_timestamp)")


def is_lake(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether `con` writes a DuckLake warehouse (the statements that differ ask this)."""
    return con.execute("SELECT current_database()").fetchall()[0][0] == LAKE


def upsert_sql(table: str, key: str, update: tuple[str, ...], lake: bool) -> str:
    """Insert the new keys of `incoming_rows` into `table`; for known keys fill in the `update`
    columns that were unknown (never blank them)."""
    if not lake:
        # Only rows whose columns really change are updated: updating every known key (~90k authors
        # of a daily run at 10x) took 4-5x as long as the upsert of the few that change.
        assignments = ", ".join(f"{col} = coalesce(EXCLUDED.{col}, {table}.{col})" for col in update)
        changes = " OR ".join(f"(EXCLUDED.{col} IS NOT NULL AND EXCLUDED.{col} IS DISTINCT FROM {table}.{col})" for col in update)
        return (
            f"INSERT INTO {table} BY NAME SELECT * FROM incoming_rows "
            f"ON CONFLICT ({key}) DO UPDATE SET {assignments} WHERE {changes}"
        )
    # Only rows whose columns really change are updated: an UPDATE deletes the old row version.
    changed = " OR ".join(f"(s.{col} IS NOT NULL AND s.{col} IS DISTINCT FROM t.{col})" for col in update)
    assignments = ", ".join(f"{col} = coalesce(s.{col}, t.{col})" for col in update)
    return (
        f"MERGE INTO {table} AS t USING (SELECT * FROM incoming_rows) AS s ON t.{key} = s.{key} "
        f"WHEN MATCHED AND ({changed}) THEN UPDATE SET {assignments} "
        "WHEN NOT MATCHED THEN INSERT BY NAME"
    )


def replace_rows_sql(table: str, key: str, lake: bool) -> list[str]:
    """Statements that replace the rows of `table` whose `key` arrives in `incoming_rows`."""
    if not lake:
        return [f"INSERT OR REPLACE INTO {table} BY NAME SELECT * FROM incoming_rows"]
    return [
        f"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM incoming_rows)",
        f"INSERT INTO {table} BY NAME SELECT * FROM incoming_rows",
    ]


def is_conflict(error: BaseException) -> bool:
    """Whether `error` (or what it was raised from) is a DuckLake commit conflict."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, duckdb.TransactionException) and "conflict" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def retry_on_conflict(
    work: Callable[[], T], attempts: int = CONFLICT_ATTEMPTS, on_retry: Callable[[str], None] | None = None
) -> T:
    """`work()`, run again when its commit lost a DuckLake conflict to another writer.

    `work` must be one transaction that leaves nothing behind when its commit fails (DuckDB
    rolls a failed commit back). On the file backend no conflict ever happens (one writer).
    """
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except duckdb.Error as error:
            if not is_conflict(error) or attempt == attempts:
                raise
            if on_retry is not None:
                on_retry(f"another writer committed first ({str(error).splitlines()[-1]}); attempt {attempt + 1} of {attempts}")
            time.sleep(random.uniform(0.1, 0.5) * min(attempt, 5))
    raise AssertionError("unreachable")
