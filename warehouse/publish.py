"""Publishing: the working warehouse becomes `$PAPERS_HOME/warehouse.duckdb` by an atomic swap.

DuckDB allows one writing process or many readers, never both. Readers therefore only open the
published file, which is a complete, checkpointed copy: the copy is made next to it, verified by
opening it read-only, and renamed over the old one. A reader that has the old file open keeps
reading the old snapshot (the rename does not touch its inode); the next open sees the new one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import duckdb

from warehouse.db import connect_writer
from warehouse.staging import locked_staging_file, remove_stale_staging_files


@dataclass(frozen=True)
class PublishResult:
    """What was published, for the asset's metadata."""

    path: Path | str  # the published file, or the DuckLake snapshot
    published_at: datetime
    papers: int
    partitions: int
    size_bytes: int


def log_publish(con: duckdb.DuckDBPyConnection, run_id: str | None) -> datetime:
    """Record a publish in `publish_log`; returns its time (UTC)."""
    published_at = datetime.now(UTC).replace(tzinfo=None)
    con.execute(
        "INSERT INTO publish_log SELECT ?, ?, (SELECT count(*) FROM partition_loads), (SELECT count(*) FROM papers)",
        [published_at, run_id],
    )
    return published_at


def checkpoint_and_log(con: duckdb.DuckDBPyConnection, run_id: str | None) -> datetime:
    """Record the publish in `publish_log` and flush the WAL into the database file."""
    published_at = log_publish(con, run_id)
    con.execute("CHECKPOINT")
    return published_at


def publish_copy(working_path: Path, published_path: Path, published_at: datetime) -> PublishResult:
    """Copy the (closed, checkpointed) working file and swap it in atomically.

    The caller must have closed every connection to `working_path` first, so no WAL is pending.
    """
    if working_path.with_name(working_path.name + ".wal").exists():
        raise RuntimeError(f"{working_path} still has a WAL file: close the writer before publishing")
    published_path.parent.mkdir(parents=True, exist_ok=True)
    with locked_staging_file(published_path) as (staging, handle):
        remove_stale_staging_files(published_path)
        _copy_into(working_path, handle)
        os.fsync(handle.fileno())
        papers, partitions = _verify(staging)
        os.replace(staging, published_path)
    return PublishResult(
        path=published_path,
        published_at=published_at,
        papers=papers,
        partitions=partitions,
        size_bytes=published_path.stat().st_size,
    )


def publish_working(working_path: Path, published_path: Path, run_id: str | None) -> PublishResult:
    """Checkpoint the working warehouse, close it, then copy and swap the published snapshot
    (the one way every asset that changes the warehouse publishes it)."""
    con = connect_writer(working_path)
    try:
        published_at = checkpoint_and_log(con, run_id)
    finally:
        con.close()
    return publish_copy(working_path, published_path, published_at)


def _copy_into(source_path: Path, target: BinaryIO) -> None:
    """Copy a file into an open one in the kernel (sendfile), as shutil.copyfile does."""
    with open(source_path, "rb") as source:
        size, offset = os.fstat(source.fileno()).st_size, 0
        while offset < size:
            sent = os.sendfile(target.fileno(), source.fileno(), offset, size - offset)
            if sent == 0:
                raise RuntimeError(f"{source_path} shrank while it was being published")
            offset += sent


def _verify(path: Path) -> tuple[int, int]:
    """Open the copy read-only as a reader would; fail before the swap if it is unreadable."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        papers = con.execute("SELECT count(*) FROM papers").fetchall()[0][0]
        partitions = con.execute("SELECT count(*) FROM partition_loads").fetchall()[0][0]
    finally:
        con.close()
    return papers, partitions
