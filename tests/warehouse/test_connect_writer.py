"""connect_writer applies the schema files when they changed since the warehouse last saw them."""

from __future__ import annotations

import duckdb
import pytest

from warehouse import db
from warehouse.db import WRITER_MEMORY_LIMIT, connect_writer, schema_fingerprint


def has_view(con, name: str) -> bool:
    return con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = ?", [name]).fetchall() == [(1,)]


def test_unchanged_files_are_not_applied_again_and_changed_ones_are(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    con = connect_writer(path)
    assert has_view(con, "daily_metrics")
    con.execute("DROP VIEW daily_metrics")
    con.close()
    con = connect_writer(path)  # same files: nothing re-applied
    assert not has_view(con, "daily_metrics")
    con.execute("UPDATE schema_applied SET fingerprint = 'files of an older version'")
    con.close()
    con = connect_writer(path)  # the files differ: applied again
    try:
        assert has_view(con, "daily_metrics")
        assert con.execute("SELECT max_by(fingerprint, applied_at) FROM schema_applied").fetchall() == [(schema_fingerprint(),)]
    finally:
        con.close()


def test_a_database_without_the_fingerprint_gets_the_schema(tmp_path):
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as old:
        old.execute("CREATE TABLE notes (text VARCHAR)")  # a database the schema was never applied to
    con = connect_writer(path)
    try:
        assert has_view(con, "daily_metrics")
    finally:
        con.close()


def test_a_writer_runs_under_the_writer_memory_limit(tmp_path):
    con = connect_writer(tmp_path / "warehouse.duckdb")
    try:
        limit = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
        with duckdb.connect() as default:
            assert limit != default.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
            default.execute("SET memory_limit = $limit", {"limit": WRITER_MEMORY_LIMIT})
            assert limit == default.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    finally:
        con.close()


def test_the_schema_files_are_applied_whole_or_not_at_all(tmp_path, monkeypatch):
    # One transaction for every file (one commit instead of one per statement): a file that
    # fails leaves none of the statements before it.
    broken = tmp_path / "999_broken.sql"
    broken.write_text("CREATE TABLE not_applied (x INTEGER); SELECT * FROM no_such_table;")
    real_files = db.sql_files
    monkeypatch.setattr(db, "sql_files", lambda folder: [*real_files(folder), *([broken] if folder == db.VIEWS_DIR else [])])
    path = tmp_path / "warehouse.duckdb"
    with pytest.raises(RuntimeError, match="999_broken.sql"):
        connect_writer(path)
    with duckdb.connect(str(path)) as con:
        tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables == {"schema_applied"}  # created before the files, empty
    monkeypatch.setattr(db, "sql_files", real_files)
    con = connect_writer(path)
    try:
        assert has_view(con, "daily_metrics")
    finally:
        con.close()
