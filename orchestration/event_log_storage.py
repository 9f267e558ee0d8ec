"""Dagster's SQLite event log, with its connections kept open instead of reopened per event.

Dagster records one event per asset per partition: a year-long backfill of this project's seven
assets writes ~5,000 of them. The stock SqliteEventLogStorage opens a new SQLAlchemy engine for
every write (NullPool, so no connection and no compiled-statement cache survives) and syncs
every commit to disk; that alone cost ~60% of a year's backfill (bench/, profiled with cProfile).

This subclass keeps one engine per database file (the index and the few most recent runs) and
uses `synchronous=NORMAL`, SQLite's recommended setting for WAL mode: still safe against
corruption; an OS crash can lose the last events, never the warehouse. Everything else, the
file layout included, is the stock storage, so an instance can switch back and forth.
Configured in deploy/dagster.yaml by this module's path (instances copy that file, so the path
stays). It reaches into the stock storage's private methods; BUILT_FOR names the one Dagster
release it was checked against, and tests/orchestration/test_event_log_storage_pins.py fails on
any other one, or when the stock methods it overrides change. The upstream issue drafted in
docs/upstream/dagster-event-log.md would make it unnecessary.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager

import dagster._check as check
import sqlalchemy.exc as db_exc
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from dagster import EventLogEntry, Field, StringSource
from dagster._core.errors import DagsterInvariantViolationError
from dagster._core.events import ASSET_CHECK_EVENTS, ASSET_EVENTS, EVENT_TYPE_TO_PIPELINE_RUN_STATUS
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus
from dagster._core.storage.event_log.schema import (
    AssetCheckExecutionsTable,
    SqlEventLogStorageMetadata,
    SqlEventLogStorageTable,
)
from dagster._core.storage.event_log.sqlite import sqlite_event_log as stock_module
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from dagster._core.storage.sql import get_alembic_config, safe_commit
from dagster._serdes import serialize_value
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine

BUILT_FOR = "1.13.27"  # the Dagster release whose SqliteEventLogStorage this was checked against
# The stock methods this class overrides or calls, with their signatures in BUILT_FOR.
STOCK_METHODS = {
    "__init__": "(self, base_dir: str, inst_data: dagster._serdes.config_class.ConfigurableClassData | None = None)",
    "_connect": "(self, shard: str) -> collections.abc.Iterator[sqlalchemy.engine.base.Connection]",
    "has_table": "(self, table_name: str) -> bool",
    "_has_asset_key_index_cols_on_connection": "(self, conn: sqlalchemy.engine.base.Connection) -> bool",
    "_initdb": "(self, engine: sqlalchemy.engine.base.Engine, for_index_shard=False) -> None",
    "conn_string_for_shard": "(self, shard_name: str) -> str",
    "store_event": "(self, event: dagster._core.events.log.EventLogEntry) -> None",
    "_store_asset_event": (
        "(self, conn: sqlalchemy.engine.base.Connection, event: dagster._core.events.log.EventLogEntry, event_id: int) -> None"
    ),
    "_store_asset_check_evaluation_planned": (
        "(self, event: dagster._core.events.log.EventLogEntry, event_id: int | None) -> None"
    ),
    "_event_insert_timestamp": "(self, event)",
    "_event_to_row": "(self, event: dagster._core.events.log.EventLogEntry) -> dict[str, typing.Any]",
    "_store_asset_event_tags": (
        "(self, conn: sqlalchemy.engine.base.Connection, "
        "events: collections.abc.Sequence[dagster._core.events.log.EventLogEntry], "
        "event_ids: collections.abc.Sequence[int]) -> None"
    ),
    "wipe": "(self) -> None",
    "dispose": "(self) -> None",
}
OPEN_ENGINES = 8  # the index plus the latest runs; older ones are closed when pushed out
# Events Dagster hands over at once when batch writing is on (it reads this variable itself, set
# by orchestration/runs/instance.py): a run's planned events (7 assets x 92 days) and each asset's
# materializations of a ranged run (92) are one batch each.
EVENT_BATCH_SIZE = 1000


def _only_an_asset_event(event: EventLogEntry) -> bool:
    """An asset event of a run that store_event handles as nothing else (a check, a run status)."""
    kind = event.dagster_event_type if event.is_dagster_event else None
    return (
        bool(event.run_id)
        and kind in ASSET_EVENTS
        and kind not in ASSET_CHECK_EVENTS
        and kind not in EVENT_TYPE_TO_PIPELINE_RUN_STATUS
    )


@functools.cache
def _migration_scripts() -> ScriptDirectory:
    """Dagster's alembic migration scripts, read once per process.

    The stock storage reads them anew (~90 files, each executed) twice for every database file it
    creates: to find the head revision, then to stamp it; a `papers backfill` of a year creates 5.
    """
    return ScriptDirectory.from_config(get_alembic_config(stock_module.__file__))


def _sync_normal(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """SqliteEventLogStorage that reuses an engine per database file (see the module docstring).

    `base_dir` defaults to `$DAGSTER_HOME/history/runs`, where the stock storage keeps it.
    """

    def __init__(self, base_dir: str | None = None, inst_data=None) -> None:
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._batch = threading.local()  # the open transactions of a batch being stored, per thread
        self._tables_found: set[str] = set()
        self._asset_key_index_cols_found = False
        if base_dir is None:
            home = check.not_none(os.getenv("DAGSTER_HOME"), "DAGSTER_HOME must be set")
            base_dir = os.path.join(home, "history", "runs")
        super().__init__(base_dir, inst_data=inst_data)

    @classmethod
    def config_type(cls):
        return {"base_dir": Field(StringSource, is_required=False)}

    @classmethod
    def from_config_value(cls, inst_data, config_value):  # ty: ignore[invalid-method-override]
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.get(shard)
        if engine is not None:
            self._engines.move_to_end(shard)
            return engine
        engine = create_engine(self.conn_string_for_shard(shard), connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})
        event.listen(engine, "connect", _sync_normal)
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        self._engines[shard] = engine
        while len(self._engines) > OPEN_ENGINES:
            self._engines.popitem(last=False)[1].dispose()
        return engine

    # What the stock _initdb does for a file without a stamped revision (each new run's file):
    # switch to WAL, create the tables (the stock storage switches after them), stamp alembic's
    # head; with the migration scripts read once per process (`_migration_scripts`) instead of
    # twice per file: ~0.1 s of CPU a file. The index
    # keeps the stock path (its special case for files made before alembic stamps); an error (a
    # race with another process creating the same file) falls back to the stock one, which retries.
    def _initdb(self, engine: Engine, for_index_shard: bool = False) -> None:
        if for_index_shard:
            super()._initdb(engine, for_index_shard=True)
            return
        try:
            with engine.connect() as conn:
                migrations = MigrationContext.configure(conn)
                if migrations.get_current_revision() is None:
                    # WAL before the tables: each CREATE is a commit of its own, which in WAL
                    # with synchronous=NORMAL appends to the log instead of syncing the file
                    # (strace: ~90 fdatasync calls a file before, ~31 after).
                    conn.execute(text("PRAGMA journal_mode=WAL;"))
                    SqlEventLogStorageMetadata.create_all(engine)
                    migrations.stamp(_migration_scripts(), "head")
                    safe_commit(conn)
        except (db_exc.DatabaseError, sqlite3.DatabaseError, sqlite3.OperationalError):
            super()._initdb(engine)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        batch = getattr(self._batch, "stack", None)
        if batch is not None:  # inside store_event_batch: the batch's transaction on this file
            connections = self._batch.connections
            if shard not in connections:
                connections[shard] = batch.enter_context(self._transaction(shard))
            yield connections[shard]
            return
        with self._db_lock, self._transaction(shard) as conn:
            yield conn

    @contextmanager
    def _transaction(self, shard: str) -> Iterator[Connection]:
        check.str_param(shard, "shard")
        with self._engine(shard).connect() as conn, conn.begin():
            yield conn

    # Stock Dagster stores a batch one event at a time, each in two transactions (the run's file
    # and the index). Here a batch is one transaction per file, committed together at its end: a
    # ranged run's planned and materialization events, ~5,100 for a year, were ~30% of a year's
    # `papers backfill` (cProfile, docs/benchmark.md). A batch that fails is rolled back whole,
    # and Dagster then stores its events one by one.
    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        with self._db_lock, ExitStack() as stack:
            self._batch.stack, self._batch.connections, self._batch.asset_events = stack, {}, {}
            try:
                run_of_asset_events: list[EventLogEntry] = []
                for event in events:
                    if _only_an_asset_event(event):
                        run_of_asset_events.append(event)
                        continue
                    self._store_asset_events(run_of_asset_events)
                    run_of_asset_events = []
                    self.store_event(event)
                self._store_asset_events(run_of_asset_events)
                for conn, event, event_id in self._batch.asset_events.values():
                    super()._store_asset_event(conn, event, event_id)
            finally:
                self._batch.stack = self._batch.asset_events = None

    # What store_event does for each of these events (insert it in its run's file, mirror it in
    # the index, index its tags, update its asset's row), with one statement per file for all of
    # them instead of one per event: compiling and executing ~10,000 single-row inserts was a
    # third of the events' cost. The index hands back the new rows' ids in the events' order.
    def _store_asset_events(self, events: Sequence[EventLogEntry]) -> None:
        if not events:
            return
        rows = [self._event_to_row(event) for event in events]
        for run_id in dict.fromkeys(row["run_id"] for row in rows):
            with self.run_connection(run_id) as conn:
                conn.execute(SqlEventLogStorageTable.insert(), [row for row in rows if row["run_id"] == run_id])
        insert = SqlEventLogStorageTable.insert().returning(SqlEventLogStorageTable.c.id, sort_by_parameter_order=True)
        with self.index_transaction() as conn:
            event_ids = list(conn.execute(insert, rows).scalars())
            if len(event_ids) != len(events) or None in event_ids:
                raise DagsterInvariantViolationError("Cannot store asset event tags for null event id.")
            self._store_asset_event_tags(conn, events, event_ids)
            for event, event_id in zip(events, event_ids, strict=True):
                self._store_asset_event(conn, event, event_id)

    # Each asset event also rewrites its asset's row of the index (asset_keys: last run, last
    # materialization, timestamp), one statement or two per event, the last one winning. In a
    # batch only the last event of each kind per asset is written, in the order they came, which
    # leaves the row as writing every event would: a column keeps the value of the last event
    # that sets it, and events of one kind set the same columns.
    def _store_asset_event(self, conn: Connection, event: EventLogEntry, event_id: int) -> None:
        pending = getattr(self._batch, "asset_events", None)
        if pending is None or not (event.dagster_event and event.dagster_event.asset_key):
            super()._store_asset_event(conn, event, event_id)
            return
        kind = (event.dagster_event.asset_key.to_string(), event.dagster_event.event_type_value)
        pending.pop(kind, None)  # so dict order is the order of each kind's last event
        pending[kind] = (conn, event, event_id)

    # A planned check of a ranged run is one row per partition, each holding the planned event.
    # The stock method serialises that event again for every row (92 times in a quarter's run)
    # and inserts them as one statement compiled anew each time: ~3 % of a year's backfill's
    # CPU (cProfile). Here it is serialised once and the rows go in with executemany: the same rows.
    def _store_asset_check_evaluation_planned(self, event: EventLogEntry, event_id: int | None) -> None:
        planned = check.not_none(event.dagster_event).asset_check_planned_data
        partition_keys = planned.partitions_subset.get_partition_keys() if planned.partitions_subset else [None]
        row = {
            "asset_key": planned.asset_key.to_string(),
            "check_name": planned.check_name,
            "run_id": event.run_id,
            "execution_status": AssetCheckExecutionRecordStatus.PLANNED.value,
            "evaluation_event": serialize_value(event),
            "evaluation_event_timestamp": self._event_insert_timestamp(event),
            "evaluation_event_storage_id": event_id,
        }
        with self.index_connection() as conn:
            conn.execute(AssetCheckExecutionsTable.insert(), [{**row, "partition": key} for key in partition_keys])

    # The stock storage inspects the index schema on every asset event: has_table() with a new
    # engine each time, and the asset_keys columns. A table or column, once there, stays (only
    # `dagster instance migrate` adds them), so a positive answer is kept; a negative one is
    # asked again. Writing a materialization event: 2.7 -> 1.8 ms (1,000 events, same machine).
    def has_table(self, table_name: str) -> bool:
        if table_name in self._tables_found:
            return True
        found = super().has_table(table_name)  # its own engine: callers may hold our lock
        if found:
            self._tables_found.add(table_name)
        return found

    def _has_asset_key_index_cols_on_connection(self, conn: Connection) -> bool:
        if not self._asset_key_index_cols_found:
            self._asset_key_index_cols_found = super()._has_asset_key_index_cols_on_connection(conn)
        return self._asset_key_index_cols_found

    def _close_engines(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()

    def wipe(self) -> None:
        self._close_engines()  # wipe removes the run files: no connection may outlive them
        super().wipe()

    def dispose(self) -> None:
        self._close_engines()
        super().dispose()
