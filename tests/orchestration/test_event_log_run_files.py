"""A run's event-log file created by the shipped storage is the file the stock storage creates
(same tables, indexes, alembic revision, WAL), with Dagster's migration scripts read once per
process instead of twice per file."""

import sqlite3

import pytest
from alembic.script import ScriptDirectory
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from orchestration import event_log_storage
from orchestration.event_log_storage import PooledSqliteEventLogStorage


def _create_run_file(storage, run_id: str) -> None:
    with storage.run_connection(run_id):
        pass


def _describe(path) -> dict:
    con = sqlite3.connect(path)
    try:
        return {
            "schema": sorted(con.execute("SELECT type, name, sql FROM sqlite_master").fetchall(), key=str),
            "revision": con.execute("SELECT version_num FROM alembic_version").fetchall(),
            "journal_mode": con.execute("PRAGMA journal_mode").fetchone()[0],
        }
    finally:
        con.close()


@pytest.fixture
def storages(tmp_path):
    pooled = PooledSqliteEventLogStorage(base_dir=str(tmp_path / "pooled"))
    stock = SqliteEventLogStorage(base_dir=str(tmp_path / "stock"))
    yield pooled, stock
    pooled.dispose()
    stock.dispose()


def test_a_run_file_is_the_one_the_stock_storage_creates(storages, tmp_path):
    pooled, stock = storages
    _create_run_file(pooled, "run-1")
    _create_run_file(stock, "run-1")
    ours = _describe(tmp_path / "pooled" / "run-1.db")
    theirs = _describe(tmp_path / "stock" / "run-1.db")
    assert ours == theirs
    assert ours["revision"] and ours["journal_mode"] == "wal"


def test_the_migration_scripts_are_read_once_for_many_run_files(storages, monkeypatch):
    pooled, _ = storages
    reads: list[object] = []
    original = ScriptDirectory.from_config

    def counting(config, *args, **kwargs):
        reads.append(config)
        return original(config, *args, **kwargs)

    monkeypatch.setattr(ScriptDirectory, "from_config", counting)
    event_log_storage._migration_scripts.cache_clear()
    for run in range(3):
        _create_run_file(pooled, f"run-{run}")
    assert len(reads) == 1


def test_a_file_that_fails_to_initialise_falls_back_to_the_stock_way(storages, tmp_path, monkeypatch):
    # As when another process creates the same run's file at the same moment.
    pooled, stock = storages

    def racing(*_args, **_kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(event_log_storage, "_migration_scripts", racing)
    _create_run_file(pooled, "run-1")
    monkeypatch.undo()
    _create_run_file(stock, "run-1")
    assert _describe(tmp_path / "pooled" / "run-1.db") == _describe(tmp_path / "stock" / "run-1.db")


def test_a_run_files_tables_are_created_in_wal_mode(storages, tmp_path, monkeypatch):
    # Each CREATE is a commit of its own: in WAL with synchronous=NORMAL it appends to the log
    # instead of syncing the file (strace: 362 -> 126 fdatasync calls for 4 run files).
    pooled, _ = storages
    modes: list[str] = []
    original = event_log_storage.SqlEventLogStorageMetadata.create_all

    def recording(bind, *args, **kwargs):
        con = sqlite3.connect(tmp_path / "pooled" / "run-1.db")
        try:
            modes.append(con.execute("PRAGMA journal_mode").fetchone()[0])
        finally:
            con.close()
        return original(bind, *args, **kwargs)

    monkeypatch.setattr(event_log_storage.SqlEventLogStorageMetadata, "create_all", recording)
    _create_run_file(pooled, "run-1")
    assert modes == ["wal"]
