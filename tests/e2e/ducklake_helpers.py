"""What the DuckLake end-to-end tests share: a lake per test on the session's PostgreSQL server,
`papers` run against it, and every public table read back for comparison."""

from __future__ import annotations

from pathlib import Path

import duckdb

from bench.postgres_server import PostgresServer
from tests.e2e.cli_helpers import CliResult, run_papers
from warehouse import ducklake
from warehouse.paths import DuckLakeLocation

# Every table a user can query (publish_log and schema_applied are bookkeeping).
PUBLIC_TABLES = (
    "papers",
    "authors",
    "paper_authors",
    "votes",
    "submitters",
    "organizations",
    "quarantined_records",
    "partition_loads",
    "author_papers",
    "keyword_week_counts",
    "keyword_week_coverage",
    "listed_papers",
    "search_index",
    "similar_papers",
)
# Clock times of a fetch or a load: two backfills of the same days differ in them, so they are
# compared by their order (dense rank) instead.
CLOCK_COLUMNS = {"observed_at", "fetched_at", "loaded_at", "imported_at"}


def new_lake(server: PostgresServer, name: str, data_dir: Path) -> DuckLakeLocation:
    """An empty DuckLake: its own PostgreSQL database and data folder."""
    server.create_database(name)
    return DuckLakeLocation(catalog=f"postgres:{server.libpq_dsn(name)}", data_path=str(data_dir))


def lake_env(lake: DuckLakeLocation) -> dict[str, str]:
    return {"PAPERS_DUCKLAKE_CATALOG": lake.catalog, "PAPERS_DUCKLAKE_DATA_PATH": lake.data_path}


def run_papers_on_lake(args: list[str], home: Path, base_url: str, lake: DuckLakeLocation, timeout: float = 600) -> CliResult:
    """`papers ARGS` with the warehouse on `lake`."""
    return run_papers(args, home, base_url, timeout=timeout, extra_env=lake_env(lake))


def _shown(column: str, kind: str, by_day: bool) -> str:
    if column in CLOCK_COLUMNS:
        # Days are fetched several at once (pipeline/fetch_days.py): fetch times are ordered
        # within a day, not across days.
        return f"dense_rank() OVER ({'PARTITION BY listing_date ' if by_day else ''}ORDER BY {column})"
    # Scores are sums whose order the engine picks: the last bit may differ between runs.
    return f"round({column}, 12)" if kind == "DOUBLE" else column


def table_rows(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    """Every row of `table`, sorted, with clock columns replaced by their rank and scores
    rounded to 12 decimals."""
    described = con.execute(f"DESCRIBE {table}").fetchall()
    # The fixture days repeat the same few real days, so a paper has several neighbours at exactly
    # the same score, and which of them is kept is not determined: the scores per rank are compared.
    by_day = any(row[0] == "listing_date" for row in described)
    shown = [_shown(row[0], row[1], by_day) for row in described if (table, row[0]) != ("similar_papers", "similar_paper_id")]
    return con.execute(f"SELECT {', '.join(shown)} FROM {table} ORDER BY ALL").fetchall()


def all_tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    return {table: table_rows(con, table) for table in PUBLIC_TABLES}


def lake_tables(lake: DuckLakeLocation) -> dict[str, list[tuple]]:
    """Every public table of the lake's newest published snapshot."""
    con = ducklake.connect_reader(lake)
    try:
        return all_tables(con)
    finally:
        con.close()


def file_tables(path: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return all_tables(con)


def lake_rows(lake: DuckLakeLocation, sql: str) -> list[tuple]:
    con = ducklake.connect_reader(lake)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def lake_answers(lake: DuckLakeLocation, queries: dict[str, str]) -> dict[str, list[tuple]]:
    """Each query's rows, all read on one connection to the newest published snapshot (opening the
    lake costs ~1 s of CPU: ask several questions of one connection)."""
    con = ducklake.connect_reader(lake)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in queries.items()}
    finally:
        con.close()
