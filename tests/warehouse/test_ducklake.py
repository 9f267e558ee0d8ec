"""warehouse/ducklake.py on a real DuckLake whose catalog is a local DuckDB file (the PostgreSQL
catalog is exercised by tests/e2e/test_ducklake_*.py): the derived DDL, the upserts, publishing
and pinned readers, and the retry of a lost commit."""

from __future__ import annotations

import duckdb
import pytest

from warehouse import ducklake
from warehouse.db import SCHEMA_DIR, connect_lake_writer, sql_files
from warehouse.paths import DuckLakeLocation


@pytest.fixture
def lake(tmp_path) -> DuckLakeLocation:
    return DuckLakeLocation(catalog=str(tmp_path / "catalog.ducklake"), data_path=str(tmp_path / "data"))


def test_the_ddl_loses_only_keys_and_indexes_and_a_key_column_stays_not_null():
    sql = (
        "CREATE TABLE t (a VARCHAR PRIMARY KEY, b INT NOT NULL, c VARCHAR UNIQUE, PRIMARY KEY (a, b));\nCREATE INDEX i ON t (b);"
    )
    assert ducklake.lake_ddl(sql) == "CREATE TABLE t (a VARCHAR NOT NULL, b INT NOT NULL, c VARCHAR);\n"


def test_every_schema_file_is_accepted_by_ducklake_and_keeps_every_column(lake):
    con = connect_lake_writer(lake)
    try:
        on_lake = con.execute(
            "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = 'lake'"
        ).fetchall()
    finally:
        con.close()
    with duckdb.connect() as plain:
        for path in sql_files(SCHEMA_DIR):
            plain.execute(path.read_text())
        on_file = plain.execute(
            "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE database_name = 'memory'"
        ).fetchall()
    assert set(on_file) <= set(on_lake)


def test_the_extensions_come_from_the_wheels_never_the_network():
    with duckdb.connect() as con:
        ducklake.load_extensions(con)
        assert con.execute("SELECT current_setting('autoinstall_known_extensions')").fetchall() == [(False,)]
        loaded = {row[0] for row in con.execute("SELECT extension_name FROM duckdb_extensions() WHERE loaded").fetchall()}
    assert {"ducklake", "postgres_scanner"} <= loaded


@pytest.mark.parametrize("lake_mode", [False, True])
def test_the_upsert_adds_new_keys_and_fills_unknown_columns_without_blanking_known_ones(lake_mode, lake):
    con = connect_lake_writer(lake) if lake_mode else duckdb.connect()
    try:
        if not lake_mode:
            con.execute("CREATE TABLE organizations (organization VARCHAR PRIMARY KEY, fullname VARCHAR, avatar_url VARCHAR)")
        con.execute("INSERT INTO organizations VALUES ('ds', NULL, 'a.png'), ('g', 'Google', NULL)")
        incoming_rows = duckdb.sql(  # noqa: F841 - read by the statement below
            "SELECT * FROM (VALUES ('ds', 'DeepSeek', NULL), ('g', NULL, NULL), ('new', 'New', 'n.png')) "
            "AS t(organization, fullname, avatar_url)"
        ).arrow()
        con.execute(ducklake.upsert_sql("organizations", "organization", ("fullname", "avatar_url"), lake_mode))
        rows = con.execute("SELECT * FROM organizations ORDER BY ALL").fetchall()
    finally:
        con.close()
    # ds: fullname filled in, avatar kept; g: nothing known is blanked; new: inserted
    assert rows == [("ds", "DeepSeek", "a.png"), ("g", "Google", None), ("new", "New", "n.png")]


def test_readers_see_the_newest_published_snapshot_not_a_later_commit(lake):
    connect_lake_writer(lake).close()  # (a local catalog file is opened by one connection at a time)
    with pytest.raises(ducklake.NoPublishedSnapshot, match="No published warehouse"):
        ducklake.connect_reader(lake)
    writer = connect_lake_writer(lake)
    try:
        writer.execute("BEGIN TRANSACTION")
        writer.execute("INSERT INTO publish_log VALUES (TIMESTAMP '2025-01-01', 'r1', 0, 0)")
        published = ducklake.commit_published(writer, "r1")
        writer.execute("INSERT INTO publish_log VALUES (TIMESTAMP '2025-01-02', 'unpublished', 0, 0)")
    finally:
        writer.close()
    assert ducklake.newest_published(lake) == published
    reader = ducklake.connect_reader(lake)
    try:
        assert reader.execute("SELECT run_id FROM publish_log").fetchall() == [("r1",)]
        with pytest.raises(duckdb.Error, match="read-only"):
            reader.execute("DELETE FROM publish_log")
    finally:
        reader.close()


# The message DuckLake gives a writer whose commit lost (seen with two writers on PostgreSQL).
LOST = (
    "TransactionContext Error: Failed to commit: Failed to commit DuckLake transaction.\n"
    'Transaction conflict - attempting to delete from table with index "5" - but another transaction has deleted from it'
)


def test_a_commit_that_lost_a_conflict_is_run_again():
    attempts, retried = [], []

    def work() -> int:
        attempts.append(1)
        if len(attempts) == 1:
            try:
                raise duckdb.TransactionException(LOST)
            except duckdb.TransactionException:
                # what a failed load meets: its ROLLBACK fails too, with the conflict as context
                raise duckdb.TransactionException("cannot rollback - no transaction is active")  # noqa: B904
        return len(attempts)

    assert ducklake.retry_on_conflict(work, on_retry=retried.append) == 2
    assert len(retried) == 1 and "another writer committed first" in retried[0]


def test_an_error_that_is_not_a_conflict_is_raised_at_once():
    calls = []

    def fails():
        calls.append(1)
        raise duckdb.TransactionException("TransactionContext Error: something else")

    with pytest.raises(duckdb.TransactionException):
        ducklake.retry_on_conflict(fails)
    assert len(calls) == 1


def test_the_location_never_shows_a_password():
    location = DuckLakeLocation("postgres:dbname=papers host=db password=s3cret user=u", "s3://bucket/lake")
    assert location.describe() == "ducklake:postgres:dbname=papers host=db password=*** user=u (data s3://bucket/lake)"


def test_every_keyed_write_on_the_lake_takes_the_writer_turn_and_the_file_has_none(lake):
    con = connect_lake_writer(lake)
    try:
        before = con.execute("SELECT taken_at FROM writer_turn").fetchall()
        con.execute("BEGIN TRANSACTION")
        ducklake.claim_writer_turn(con)
        con.execute("COMMIT")
        after = con.execute("SELECT taken_at FROM writer_turn").fetchall()
        # the row was deleted and written again: the delete is what two writers conflict on
        changes = con.execute("SELECT changes FROM lake.snapshots() ORDER BY snapshot_id DESC LIMIT 1").fetchall()[0][0]
    finally:
        con.close()
    assert len(before) == len(after) == 1 and after != before
    assert any("delete" in kind for kind in changes), changes
    with duckdb.connect() as plain:
        ducklake.claim_writer_turn(plain)  # no table, nothing to claim
        assert plain.execute("SELECT count(*) FROM duckdb_tables()").fetchall() == [(0,)]


def test_freshness_asks_the_lakes_published_snapshot(lake):
    from datetime import date

    from warehouse.freshness import day_published

    assert not day_published(lake, date(2025, 1, 1))  # nothing created yet
    con = connect_lake_writer(lake)
    try:
        con.execute("INSERT INTO partition_loads VALUES (DATE '2025-01-01', now(), 1, 1, 1, 0, now())")
        con.execute("BEGIN TRANSACTION")
        con.execute("INSERT INTO publish_log VALUES (now(), 'r', 1, 0)")
        ducklake.commit_published(con, "r")
        con.execute("INSERT INTO partition_loads VALUES (DATE '2025-01-02', now(), 1, 1, 1, 0, now())")  # not published
    finally:
        con.close()
    assert day_published(lake, date(2025, 1, 1)) and not day_published(lake, date(2025, 1, 2))
