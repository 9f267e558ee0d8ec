"""The warehouse a caller writes or reads, whichever backend it is: the local DuckDB file
(default) or DuckLake (`WarehousePaths.ducklake` set). Assets, the CLI and the dashboard ask
here for a writer connection, a publish and a reader connection; what differs lives in
warehouse/ducklake.py (and the file's own code in db.py and publish.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import duckdb

from warehouse import ducklake
from warehouse.db import connect_lake_writer, connect_reader, connect_writer
from warehouse.paths import WarehousePaths
from warehouse.publish import PublishResult, log_publish, publish_working

T = TypeVar("T")


def describe(paths: WarehousePaths) -> str:
    """Where the published warehouse is, for messages."""
    return paths.ducklake.describe() if paths.ducklake else str(paths.published_path)


def open_writer(paths: WarehousePaths) -> duckdb.DuckDBPyConnection:
    """A connection that writes the warehouse (the working file, or the lake), schema current."""
    if paths.ducklake is None:
        return connect_writer(paths.working_path)
    return connect_lake_writer(paths.ducklake)


def publish(paths: WarehousePaths, run_id: str | None) -> PublishResult:
    """Make what the writers committed the snapshot readers open: the file's checkpoint and
    swap (warehouse/publish.py), or on DuckLake one commit tagged `published` (readers pin to the newest)."""
    if paths.ducklake is None:
        return publish_working(paths.working_path, paths.published_path, run_id)
    con = connect_lake_writer(paths.ducklake)
    try:

        def commit() -> tuple:
            con.execute("BEGIN TRANSACTION")
            published_at = log_publish(con, run_id)
            [(papers, partitions)] = con.execute(
                "SELECT (SELECT count(*) FROM papers), (SELECT count(*) FROM partition_loads)"
            ).fetchall()
            snapshot = ducklake.commit_published(con, run_id)
            return published_at, papers, partitions, snapshot

        published_at, papers, partitions, snapshot = ducklake.retry_on_conflict(commit)
        size = ducklake.data_size_bytes(con)
    finally:
        con.close()
    return PublishResult(
        path=f"{paths.ducklake.describe()} snapshot {snapshot}",
        published_at=published_at,
        papers=papers,
        partitions=partitions,
        size_bytes=size,
        how="DuckLake commit",
    )


# What every write that readers must see changes in the working file: a publish logs itself, a
# load records its days, a new schema records itself. Equal in the working and the published file
# means the newest publish reached readers and no load or schema change came after it.
_WRITES_SQL = """
SELECT (SELECT max(published_at) FROM publish_log), (SELECT count(*) FROM publish_log),
       (SELECT max(loaded_at) FROM partition_loads), (SELECT count(*) FROM partition_loads),
       (SELECT max(applied_at) FROM schema_applied)
"""


def published_is_current(paths: WarehousePaths, writer: duckdb.DuckDBPyConnection) -> bool:
    """Whether readers already see what the writers committed (`writer`: a connection from
    open_writer), so a publish would publish the same snapshot again. On the file: the newest
    publish, load and schema change recorded in the working file are those of the published
    one; on DuckLake: no commit came after the newest published snapshot."""
    if paths.ducklake is not None:
        [(head,)] = writer.execute(f"SELECT max(snapshot_id) FROM {ducklake.LAKE}.snapshots()").fetchall()
        return head is not None and head == ducklake.published_snapshot(writer)
    if not paths.published_path.exists():
        return False
    reader = connect_reader(paths.published_path)
    try:
        published = reader.execute(_WRITES_SQL).fetchall()
    finally:
        reader.close()
    return published == writer.execute(_WRITES_SQL).fetchall()


def open_reader(paths: WarehousePaths) -> duckdb.DuckDBPyConnection:
    """A read-only connection on the published warehouse; FileNotFoundError when there is none."""
    if paths.ducklake is None:
        return connect_reader(paths.published_path)
    return ducklake.connect_reader(paths.ducklake)


def published_exists(paths: WarehousePaths) -> bool:
    """Whether a published warehouse is there to read."""
    if paths.ducklake is None:
        return paths.published_path.exists()
    try:
        ducklake.newest_published(paths.ducklake)
    except ducklake.NoPublishedSnapshot:
        return False
    return True


def write_retrying(paths: WarehousePaths, work: Callable[[], T], on_retry: Callable[[str], None] | None = None) -> T:
    """`work()` (one transaction), run again when it lost a DuckLake commit conflict to another
    writer; on the file there is one writer and it runs once."""
    if paths.ducklake is None:
        return work()
    return ducklake.retry_on_conflict(work, on_retry=on_retry)
