"""The pooled event log reaches into SqliteEventLogStorage's private methods: these tests fail on
any Dagster release other than the one it was checked against, and say what to look at.

On an upgrade: read the new stock `_connect`, `has_table`, `_initdb` and
`_has_asset_key_index_cols_on_connection`; if `_connect` no longer creates an engine per call
(NullPool), drop orchestration/event_log_storage.py and its block in deploy/dagster.yaml.
Otherwise adapt the subclass, then update BUILT_FOR and STOCK_METHODS."""

import inspect

import dagster
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from orchestration.event_log_storage import BUILT_FOR, STOCK_METHODS, PooledSqliteEventLogStorage


def test_dagster_is_the_release_the_subclass_was_checked_against():
    assert dagster.__version__ == BUILT_FOR, (
        f"Dagster {dagster.__version__} is installed; orchestration/event_log_storage.py was checked "
        f"against {BUILT_FOR} only. See this test module's docstring for what to check."
    )


def test_the_stock_methods_it_overrides_or_calls_keep_their_signatures():
    changed = {name: str(inspect.signature(getattr(SqliteEventLogStorage, name))) for name in STOCK_METHODS}
    changed = {name: sig for name, sig in changed.items() if sig != STOCK_METHODS[name]}
    assert not changed, f"SqliteEventLogStorage changed: {changed}"


def test_the_stock_storage_still_opens_an_engine_per_connection():
    # The reason for the subclass; once this fails, upstream pools and the subclass can go.
    source = inspect.getsource(SqliteEventLogStorage._connect)
    assert "create_engine(" in source and "NullPool" in source


def test_it_sets_up_the_private_state_it_relies_on(tmp_path):
    storage = PooledSqliteEventLogStorage(base_dir=str(tmp_path))
    try:
        assert isinstance(storage._initialized_dbs, set)
        assert hasattr(storage._db_lock, "acquire")
        with storage.index_connection() as conn:
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert storage._engines  # the index engine is kept, not disposed
    finally:
        storage.dispose()
