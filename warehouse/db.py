"""Opening warehouse databases and applying the DDL and views kept in `.sql` files."""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import duckdb

from warehouse import ducklake
from warehouse.author_papers import fill_author_tables_if_missing
from warehouse.keywords import fill_keyword_weeks_if_missing
from warehouse.migrate import ensure_readable
from warehouse.paths import DuckLakeLocation
from warehouse.storage_format import WRITE_STORAGE_VERSION

T = TypeVar("T")

SCHEMA_DIR = Path(__file__).parent / "schema"
VIEWS_DIR = Path(__file__).parent / "views"

# DuckDB's memory for work on the working warehouse. Without a limit it keeps what it reads and
# writes cached, up to 80 % of RAM: a 10x year's backfill process reached ~650 MB. Aggregates
# spill to disk beyond it; the load and the search rebuild run again with more if they run out.
WRITER_MEMORY_LIMIT = "128MB"


def sql_files(folder: Path) -> list[Path]:
    """The `.sql` files of a folder in name order (they are numbered)."""
    return sorted(folder.glob("*.sql"))


def apply_schema(con: duckdb.DuckDBPyConnection, *, lake: bool = False) -> None:
    """Create every table, macro and view, idempotently: schema files first, then views.
    `lake`: without the keys and indexes DuckLake refuses (warehouse/ducklake.py)."""
    _drop_tables_now_views(con)
    for path in [*sql_files(SCHEMA_DIR), *sql_files(VIEWS_DIR)]:
        sql = path.read_text()
        try:
            con.execute(ducklake.lake_ddl(sql) if lake and path.parent == SCHEMA_DIR else sql)
        except duckdb.Error as error:
            raise RuntimeError(f"{path.name}: {error}") from error


# Tables an older schema stored that are views now: search_index stored its BM25 scores until
# the index kept only what does not depend on the corpus (warehouse/derived.py FORMAT_VERSION 2);
# the next search update builds the new tables whole.
TABLES_NOW_VIEWS = ("search_index",)


def _drop_tables_now_views(con: duckdb.DuckDBPyConnection) -> None:
    for name in TABLES_NOW_VIEWS:
        stored = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = $name "
            "AND database_name = current_database() AND schema_name = current_schema()",
            {"name": name},
        ).fetchone()
        if stored and stored[0]:
            con.execute(f"DROP TABLE {name}")


def schema_fingerprint() -> str:
    """A hash of every schema and view file: it changes whenever one of them does."""
    digest = hashlib.sha256()
    for path in [*sql_files(SCHEMA_DIR), *sql_files(VIEWS_DIR)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def connect_writer(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the working warehouse for writing (DuckDB memory capped at WRITER_MEMORY_LIMIT) and
    make sure its schema is current.

    The files are applied only when they changed since the last time (their fingerprint is kept
    in the database): re-creating ~60 views and macros costs ~80 ms, twice per run.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    ensure_readable(path)
    # A new file is written in the format DuckDB 1.4 and 1.5 clients read (the published file
    # is a copy of this one); an existing file keeps the format it was created with.
    con = duckdb.connect(str(path), config={"storage_compatibility_version": WRITE_STORAGE_VERSION})
    con.execute("SET memory_limit = $limit", {"limit": WRITER_MEMORY_LIMIT})
    prepare_schema(con)
    return con


def connect_lake_writer(location: DuckLakeLocation) -> duckdb.DuckDBPyConnection:
    """connect_writer for the DuckLake warehouse: the same schema, applied in one transaction."""

    def prepare(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("SET memory_limit = $limit", {"limit": WRITER_MEMORY_LIMIT})
        con.execute("BEGIN TRANSACTION")
        try:
            prepare_schema(con, lake=True)
            ducklake.create_writer_turn(con)
            con.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):  # a failed commit has rolled back already
                con.execute("ROLLBACK")
            raise

    return ducklake.connect_writer(location, prepare=prepare)


def prepare_schema(con: duckdb.DuckDBPyConnection, *, lake: bool = False) -> None:
    """Apply the schema and view files when they changed since the last time (their fingerprint
    is kept in the database)."""
    fingerprint = schema_fingerprint()
    con.execute("CREATE TABLE IF NOT EXISTS schema_applied (fingerprint VARCHAR, applied_at TIMESTAMP)")
    if scalar(con, "SELECT max_by(fingerprint, applied_at) FROM schema_applied") != fingerprint:
        if lake:  # the caller's transaction holds it (connect_lake_writer)
            apply_schema(con, lake=True)
        else:
            _apply_schema_in_one_transaction(con)
        fill_keyword_weeks_if_missing(con)  # a warehouse made before the keyword tables existed
        fill_author_tables_if_missing(con)  # ... or before author_papers and authors.author_key
        con.execute("INSERT INTO schema_applied VALUES (?, current_timestamp)", [fingerprint])


def _apply_schema_in_one_transaction(con: duckdb.DuckDBPyConnection) -> None:
    """apply_schema in one transaction: one commit instead of one per statement (~80 of them on a
    new file, each a write-ahead log sync: 0.13 -> 0.04 s at load 3-4, and 0.24-0.50 s one by one
    when the disk was busier), and a failed file leaves the schema as it was."""
    con.execute("BEGIN TRANSACTION")
    try:
        apply_schema(con)
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):  # a failed commit has rolled back already
            con.execute("ROLLBACK")
        raise


def connect_reader(path: Path) -> duckdb.DuckDBPyConnection:
    """Open a published warehouse read-only (many readers may hold it at once)."""
    if not path.exists():
        raise FileNotFoundError(
            f"No published warehouse at {path}. Create one with `papers up` (bundled sample) "
            "or `papers backfill --start YYYY-MM-DD --end YYYY-MM-DD`."
        )
    ensure_readable(path)
    return duckdb.connect(str(path), read_only=True)


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params=None):
    """The single value a query returns.

    Uses fetchall: DuckDB 2 keeps a result open after fetchone() and refuses further work on the
    connection until it is exhausted.
    """
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def execute_with_rows(con: duckdb.DuckDBPyConnection, sql: str, incoming_rows, params=None):
    """Run `sql`, in which the table name `incoming_rows` reads the given rows (Arrow or Polars).

    DuckDB finds `incoming_rows` among this function's locals (a replacement scan) for this one
    statement. Rows registered with con.register instead stay referenced until the transaction
    commits, even after unregister: a load's chunks piled up, ~50 MB each at 10x (measured).
    """
    return con.execute(sql, params)


def within_memory_limits(con: duckdb.DuckDBPyConnection, limits: Sequence[str], work: Callable[[], T]) -> T:
    """`work()` with DuckDB's memory_limit set to the first of `limits` it fits in.

    Work that runs out of memory is run again under the next limit, so it must leave nothing
    behind when it fails (a rolled-back transaction); out of memory at the last limit is raised.
    The connection's own limit is restored afterwards. A low first limit keeps DuckDB from
    holding on to memory it does not need (it otherwise keeps up to 80 % of RAM in its caches).
    """
    old_limit = scalar(con, "SELECT current_setting('memory_limit')")
    *lower, highest = limits
    try:
        for limit in lower:
            try:
                # setting a limit can fail too, when DuckDB holds more than it in use
                con.execute("SET memory_limit = $limit", {"limit": limit})
                return work()
            except duckdb.OutOfMemoryException:
                continue
        con.execute("SET memory_limit = $limit", {"limit": highest})
        return work()
    finally:
        # DuckDB may still hold more than the old limit (a large update's committed deletes stay
        # in memory until the next checkpoint): the work is done, so then keep the higher limit.
        with contextlib.suppress(duckdb.OutOfMemoryException):
            con.execute("SET memory_limit = $limit", {"limit": old_limit})
