"""The dashboard's SQL console on a DuckLake warehouse (real PostgreSQL catalog): the same answers
as on the file, the published snapshot only, and every door the file console shuts shut here too.
(The console page in Chromium on DuckLake: tests/e2e/test_ducklake_readers.py.)

A console query on the lake is a worker process that opens the lake (two extension LOADs, an
ATTACH: ~1 s of CPU). A few queries and refusals go through that real worker; the rest run the
worker's own steps (its locked connection, its statement checks) on one connection opened once
for the module."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from dashboard.screens.sql_console import EXAMPLES
from dashboard.sql_console_runner import ConsoleLimits, run_console_query
from dashboard.sql_worker import limits_config, single_read
from dashboard.sql_worker_lake import connect as connect_locked_lake, refusal as lake_refusal
from tests.dashboard.seed import seed_warehouse
from tests.e2e.ducklake_helpers import new_lake
from warehouse import ducklake
from warehouse.lake_migration import file_to_lake

pytestmark = pytest.mark.e2e
LIMITS = ConsoleLimits(timeout_s=5.0)
SEEDED_PAPERS = 5


@pytest.fixture(scope="module")
def file_and_lake(tmp_path_factory, postgres_server):
    """The dashboard's seeded file warehouse and a lake it was copied into (published snapshot)."""
    db = seed_warehouse(tmp_path_factory.mktemp("console_file") / "warehouse.duckdb")
    lake = new_lake(postgres_server, "lake_console", tmp_path_factory.mktemp("console_lake_data"))
    file_to_lake(db, lake)
    return db, lake


def worker_request(lake) -> dict:
    """What the console sends its worker to open `lake` at the published snapshot."""
    extensions = [(str(ducklake.extension_file(module, name)), name) for module, name in ducklake.EXTENSIONS]
    snapshot = ducklake.newest_published(lake)
    return {"catalog": lake.catalog, "data_path": lake.data_path, "snapshot": snapshot, "extensions": extensions}


@pytest.fixture(scope="module")
def locked_lake(file_and_lake, tmp_path_factory):
    """The connection a console worker opens on the lake (locked, at the published snapshot),
    opened once in this process for the tests that run the worker's steps in-process."""
    _, lake = file_and_lake
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path_factory.mktemp("locked_lake"))  # the extension files are linked into the cwd
        con = connect_locked_lake(worker_request(lake), limits_config("256MB", 1))
    yield con
    con.close()


@pytest.fixture(scope="module")
def read_only_file(file_and_lake):
    db, _ = file_and_lake
    with duckdb.connect(str(db), read_only=True) as con:
        yield con


def worker_refusal(con: duckdb.DuckDBPyConnection, sql: str) -> str | None:
    """The statement checks a console worker makes on the lake before running `sql`
    (dashboard/sql_worker.py `run`): one read statement, then the lake's own refusal."""
    statement, reason = single_read(sql, con.extract_statements)
    return reason if statement is None else lake_refusal(con, statement)


def frame_of(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    """`sql`'s rows as the console shows them: records and column names, as the worker sends them."""
    cursor = con.execute(sql)
    return pd.DataFrame.from_records(cursor.fetchall(), columns=[d[0] for d in cursor.description])


def in_order(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


SEARCH_SQL = "SELECT * FROM search_papers('reasoning') ORDER BY ALL"
SAME_ROWS = [*EXAMPLES.values(), SEARCH_SQL, "SELECT paper_id, count(*) AS observations FROM votes GROUP BY ALL ORDER BY ALL"]


@pytest.mark.parametrize("sql", [next(iter(EXAMPLES.values())), SEARCH_SQL])
def test_a_query_in_a_console_worker_gives_the_same_rows_as_on_the_file(file_and_lake, sql):
    db, lake = file_and_lake
    on_file, on_lake = run_console_query(db, sql, LIMITS), run_console_query(lake, sql, LIMITS)
    assert on_file.ok and on_lake.ok, (on_file.message, on_lake.message)
    assert len(on_file.frame) > 0
    assert_frame_equal(in_order(on_lake.frame), in_order(on_file.frame))


@pytest.mark.parametrize("sql", SAME_ROWS)
def test_a_query_gives_the_same_rows_as_on_the_file(locked_lake, read_only_file, sql):
    # The worker's locked lake connection and its check, in-process (the worker itself: above).
    assert worker_refusal(locked_lake, sql) is None
    on_file, on_lake = frame_of(read_only_file, sql), frame_of(locked_lake, sql)
    assert len(on_file) > 0
    # "Most prolific authors" ties at 1 paper, in an order neither engine promises
    assert_frame_equal(in_order(on_lake), in_order(on_file))


REFUSED = [
    ("SELECT * FROM read_csv('/etc/passwd')", "read_csv is not allowed"),
    ("SELECT * FROM '/etc/passwd'", "Reading the file /etc/passwd is not allowed"),
    ("SELECT count(*) FROM read_parquet('{data}/**/*.parquet')", "read_parquet is not allowed"),
    ("SELECT count(*) FROM '{data}/main/papers/*.parquet'", "Reading the file"),
    ("SELECT * FROM read_parquet('/tmp/elsewhere.parquet')", "read_parquet is not allowed"),
    ("SELECT * FROM 'http://127.0.0.1:9/x.parquet'", "Reading the file http://127.0.0.1:9/x.parquet"),
    ("ATTACH 'ducklake:{catalog}' AS other", "ATTACH is not allowed"),
    ("ATTACH ':memory:' AS scratch", "ATTACH is not allowed"),
    ("INSERT INTO papers SELECT * FROM papers", "INSERT is not allowed"),
    ("DELETE FROM votes", "DELETE is not allowed"),
    ("CREATE TABLE copy AS SELECT * FROM papers", "CREATE is not allowed"),
    ("CALL ducklake_expire_snapshots('lake', older_than => now())", "CALL is not allowed"),
    ("SELECT * FROM ducklake_merge_adjacent_files('lake')", "ducklake_merge_adjacent_files is not allowed"),
    ("SELECT * FROM ducklake_rewrite_data_files('lake')", "ducklake_rewrite_data_files is not allowed"),
    ("CALL lake.set_commit_message('me', 'published')", "CALL is not allowed"),
    ("SELECT * FROM postgres_query('__ducklake_metadata_lake', 'SELECT 1')", "postgres_query is not allowed"),
    ("SELECT * FROM __ducklake_metadata_lake.ducklake_snapshot", "the DuckLake catalog itself"),
    ("DETACH lake", "DETACH is not allowed"),
    ("USE memory", "USE is not allowed"),
    ("SET enable_external_access = true", "SET is not allowed"),
]
# One of each kind of refusal through a real worker: a write (one read statement only), a file
# function, the catalog's own tables.
REFUSED_BY_A_WORKER = [REFUSED[0], REFUSED[8], REFUSED[16]]


@pytest.mark.parametrize(("sql", "said"), REFUSED_BY_A_WORKER)
def test_a_console_worker_refuses_files_writes_and_the_catalog(file_and_lake, sql, said):
    _, lake = file_and_lake
    result = run_console_query(lake, sql.format(data=lake.data_path, catalog=lake.catalog), LIMITS)
    assert result.status == "refused", result.message
    assert said in result.message


@pytest.mark.parametrize(("sql", "said"), REFUSED)
def test_files_attach_network_writes_and_catalog_tricks_are_refused(file_and_lake, locked_lake, sql, said):
    _, lake = file_and_lake
    why = worker_refusal(locked_lake, sql.format(data=lake.data_path, catalog=lake.catalog))
    assert why is not None and said in why, why


def test_the_locked_lake_connection_itself_refuses_files_attach_and_settings(file_and_lake, tmp_path, monkeypatch):
    """The configuration layer under the statement check: what the worker's connection allows
    once it is locked, even for a statement the check would let through."""
    _, lake = file_and_lake
    monkeypatch.chdir(tmp_path)  # the worker links the extension files into its scratch folder
    con = connect_locked_lake(worker_request(lake), limits_config("256MB", 1))
    try:
        assert con.execute("SELECT count(*) FROM papers").fetchall() == [(SEEDED_PAPERS,)]
        for sql in (
            "SELECT * FROM read_csv('/etc/passwd')",
            "SELECT * FROM read_parquet('/tmp/elsewhere/*.parquet')",
            f"ATTACH 'ducklake:{lake.catalog}' AS other",
            "SET enable_external_access = true",
            "SET allowed_directories = ['/']",
            "INSERT INTO papers SELECT * FROM papers",
            "DELETE FROM votes",
            "CREATE TABLE lake.main.copy AS SELECT 1",
        ):
            with pytest.raises(duckdb.Error) as refused:
                con.execute(sql).fetchall()
            assert any(word in str(refused.value) for word in ("disabled", "locked", "read-only")), (sql, refused.value)
        # the DETACH trick: leave the lake, and it cannot be attached again (writable or not)
        con.execute("USE memory")
        con.execute("DETACH lake")
        with pytest.raises(duckdb.PermissionException):
            con.execute(f"ATTACH 'ducklake:{lake.catalog}' AS lake (DATA_PATH '{lake.data_path}')")
    finally:
        con.close()


def test_the_console_reads_the_published_snapshot_not_a_newer_commit(file_and_lake):
    _, lake = file_and_lake
    writer = ducklake.connect_writer(lake, prepare=lambda con: None)
    try:
        # committed without the `published` tag, as a load is before its checks pass
        writer.execute("INSERT INTO papers SELECT * REPLACE ('2599.99999' AS paper_id) FROM papers LIMIT 1")
        assert writer.execute("SELECT count(*) FROM papers").fetchall() == [(SEEDED_PAPERS + 1,)]
        newest = writer.execute("SELECT max(snapshot_id) FROM lake.snapshots()").fetchall()[0][0]
    finally:
        writer.close()
    seen = run_console_query(lake, "SELECT count(*) AS n FROM papers", LIMITS)
    assert seen.ok and seen.frame["n"].tolist() == [SEEDED_PAPERS]
    travel = run_console_query(lake, f"SELECT count(*) FROM papers AT (VERSION => {newest})", LIMITS)
    assert travel.status == "refused" and "AT (time travel) is not allowed" in travel.message
