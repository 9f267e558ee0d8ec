"""A warehouse written by DuckDB 2.0 (the project's DuckDB before the pin) is copied into the
supported format on first open: every table, row, view and macro survives."""

from __future__ import annotations

import duckdb
import pytest

from dashboard.snapshot import open_snapshot
from tests.side_envs.duckdb_releases import DUCKDB_2, ensure_release, run_with_duckdb
from tests.warehouse.test_views_published import build, catalog
from warehouse import migrate
from warehouse.db import connect_reader, connect_writer
from warehouse.storage_format import READABLE_STORAGE_NUMBERS, storage_number

# Run by duckdb 2.0: copy a database into a new file in 2.0's own (default) storage format.
WRITE_AS_DUCKDB_2 = """
import sys, duckdb
con = duckdb.connect(":memory:")
con.execute("ATTACH ? AS src (READ_ONLY)", [sys.argv[1]])
con.execute("ATTACH ? AS dst", [sys.argv[2]])
con.execute("COPY FROM DATABASE src TO dst")
con.execute("CHECKPOINT dst")
"""


def table_counts(con) -> dict[str, int]:
    tables = con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for (t,) in tables}


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    """A small warehouse written by our duckdb: (its path, row counts, views and macros)."""
    ensure_release(DUCKDB_2)
    path = tmp_path_factory.mktemp("original") / "warehouse.duckdb"
    build(path)
    with duckdb.connect(str(path), read_only=True) as con:
        return path, table_counts(con), [(kind, name) for kind, name, _ in catalog(con)]


def written_by_duckdb_2(original_path, target):
    run_with_duckdb(DUCKDB_2, WRITE_AS_DUCKDB_2, str(original_path), str(target))
    assert storage_number(target) not in READABLE_STORAGE_NUMBERS, "the set-up must make a file 1.5 refuses"
    with pytest.raises(duckdb.IOException, match="version number"):
        duckdb.connect(str(target), read_only=True)
    return target


def open_as_reader(path):
    return connect_reader(path)


def open_as_writer(path):
    return connect_writer(path)


@pytest.mark.parametrize(
    "open_warehouse", [open_as_reader, open_as_writer], ids=["published file, papers sql", "working file, Dagster's writer"]
)
def test_a_duckdb_2_file_is_migrated_on_first_open_and_loses_nothing(original, tmp_path, open_warehouse):
    original_path, counts, definitions = original
    path = written_by_duckdb_2(original_path, tmp_path / "warehouse.duckdb")
    con = open_warehouse(path)
    try:
        found = table_counts(con)
        found.pop("schema_applied", None)  # the writer adds its bookkeeping table
        assert found == counts
        assert [(kind, name) for kind, name, _ in catalog(con)] == definitions
        assert con.execute("SELECT papers FROM daily_metrics").fetchall() == [(3,)]
        assert con.execute("SELECT paper_id FROM search_papers('mamba') ORDER BY 1").fetchall() == [("m1",), ("m2",)]
    finally:
        con.close()
    assert storage_number(path) in READABLE_STORAGE_NUMBERS
    backups = list(tmp_path.glob("warehouse.duckdb.storage-*.bak"))
    assert len(backups) == 1 and storage_number(backups[0]) not in READABLE_STORAGE_NUMBERS
    assert not list(tmp_path.glob(".*.migrating")), "no half-made copy is left behind"


def test_the_dashboard_migrates_the_published_file_it_opens(original, tmp_path):
    path = written_by_duckdb_2(original[0], tmp_path / "warehouse.duckdb")
    with open_snapshot(path) as con:
        assert con.execute("SELECT count(*) FROM papers").fetchall() == [(3,)]


def test_without_uv_it_refuses_with_the_command_to_run_and_leaves_the_file(original, tmp_path, monkeypatch):
    path = written_by_duckdb_2(original[0], tmp_path / "warehouse.duckdb")
    before = path.read_bytes()
    monkeypatch.setattr(migrate, "PROJECT_UV", tmp_path / "no-uv")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(migrate.MigrationError) as refused:
        connect_reader(path)
    message = str(refused.value)
    assert "\n" not in message
    assert "uv is not installed" in message
    assert f"--with duckdb=={DUCKDB_2.split('+')[0]} python -m warehouse.migrate_copy {path}" in message
    assert path.read_bytes() == before


def test_papers_sql_says_in_one_line_what_to_run_when_it_cannot_migrate(original, tmp_path, monkeypatch, capsys):
    from papers_cli.main import main

    written_by_duckdb_2(original[0], tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("PAPERS_HOME", str(tmp_path))
    monkeypatch.setattr(migrate, "PROJECT_UV", tmp_path / "no-uv")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert main(["sql", "SELECT count(*) FROM papers"]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "python -m warehouse.migrate_copy" in error
