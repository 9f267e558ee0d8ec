"""Publishing: the working warehouse becomes `$PAPERS_HOME/warehouse.duckdb` by an atomic swap.

DuckDB allows one writing process or many readers, never both. Readers therefore only open the
published file, a complete, checkpointed, verified copy of the working file that is swapped in
by one rename; a reader that has the old file open keeps reading the old snapshot (the swap does
not touch its inode) and the next open sees the new one. Two ways lead there:

- **exchange** (the usual one): the previously published inode is kept as the retired snapshot
  (warehouse/retired.py). If no reader has it open, only the chunks that differ from the working
  file are rewritten in it (warehouse/chunk_sync.py), it is fsynced and verified, and
  `renameat2(RENAME_EXCHANGE)` swaps it with the published name: the published file becomes the
  new snapshot, the retired name the one it replaced. The published file is never written in
  place, so a publish killed at any point leaves it a complete snapshot, old or new.
- **full copy**: the whole working file is copied into a new staging file (warehouse/staging.py),
  fsynced, verified and swapped in; the replaced snapshot becomes the retired one. Taken when
  there is no retired snapshot, a reader still has it open, the file system cannot exchange, or
  anything in the exchange way failed before its swap.
"""

from __future__ import annotations

import os
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import duckdb

from warehouse import rename_exchange, retired
from warehouse.chunk_sync import sync_chunks
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
    # Which way it went, e.g. "exchange: 41 of 3,021 chunks rewritten (43.0 of 3,167.2 MB)" or
    # "full copy: no retired snapshot yet" (DuckLake: "DuckLake commit").
    how: str = ""
    bytes_written: int = 0  # into the published file's data (the whole size for a full copy)
    chunks_rewritten: int | None = None  # by the exchange; None for a full copy


@dataclass(frozen=True)
class _Swapped:
    papers: int
    partitions: int
    how: str
    bytes_written: int
    chunks_rewritten: int | None = None


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


def publish_file(working_path: Path, published_path: Path, published_at: datetime, exchange: bool = True) -> PublishResult:
    """Make the (closed, checkpointed) working file the published snapshot: by exchange with the
    retired snapshot when it is free, else by a full copy (see the module docstring).
    `exchange=False` forces the full copy.

    The caller must have closed every connection to `working_path` first, so no WAL is pending.
    """
    if working_path.with_name(working_path.name + ".wal").exists():
        raise RuntimeError(f"{working_path} still has a WAL file: close the writer before publishing")
    published_path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging_files(published_path)
    swapped = _by_exchange(working_path, published_path) if exchange else "asked for"
    if isinstance(swapped, str):
        swapped = _by_copy(working_path, published_path, swapped)
    # A power cut must not bring back the replaced snapshot's name.
    rename_exchange.sync_path(published_path.parent)
    return PublishResult(
        path=published_path,
        published_at=published_at,
        papers=swapped.papers,
        partitions=swapped.partitions,
        size_bytes=published_path.stat().st_size,
        how=swapped.how,
        bytes_written=swapped.bytes_written,
        chunks_rewritten=swapped.chunks_rewritten,
    )


def publish_working(working_path: Path, published_path: Path, run_id: str | None) -> PublishResult:
    """Checkpoint the working warehouse, close it, then publish it (the one way every asset that
    changes the warehouse publishes it)."""
    con = connect_writer(working_path)
    try:
        published_at = checkpoint_and_log(con, run_id)
    finally:
        con.close()
    return publish_file(working_path, published_path, published_at)


def _by_exchange(working_path: Path, published_path: Path) -> _Swapped | str:
    """Publish by rewriting the retired snapshot's changed chunks and exchanging it with the
    published file; the reason for a full copy instead when it cannot or it failed before the swap."""
    if not published_path.exists():
        return "nothing published yet"
    target = retired.retired_path(published_path)
    try:
        claimed = retired.claim(target)
        if isinstance(claimed, retired.Unavailable):
            return claimed.reason
        try:
            with open(working_path, "rb") as source:
                synced = sync_chunks(source.fileno(), claimed)
            os.fsync(claimed)
        finally:
            # Closing drops our lock, and so does DuckDB closing its own descriptor in _verify
            # (POSIX locks belong to the process, not the descriptor). Every write is done and on
            # disk by then: a reader that opens the file from here on finds the complete new
            # snapshot, which is what it is about to become.
            os.close(claimed)
        papers, partitions = _verify(target)
        if not rename_exchange.exchange(target, published_path):
            return "this file system cannot exchange two files atomically"
    except Exception as error:  # noqa: BLE001 - any failure before the swap: the full copy still publishes
        return f"the exchange failed before its swap: {type(error).__name__}: {error}"
    return _Swapped(papers, partitions, f"exchange: {synced.describe()}", synced.bytes_written, synced.chunks_rewritten)


def _by_copy(working_path: Path, published_path: Path, reason: str) -> _Swapped:
    """Publish a full copy of the working file; the snapshot it replaces becomes the retired one."""
    with locked_staging_file(published_path) as (staging, handle):
        size = _copy_into(working_path, handle)
        os.fsync(handle.fileno())
        papers, partitions = _verify(staging)
        if published_path.exists() and rename_exchange.exchange(staging, published_path):
            # The staging name now holds the replaced snapshot. Renaming it over the old retired
            # one drops that name only: a reader that has the old retired file open keeps it.
            with suppress(OSError):  # the new snapshot is published; without a retired one the next publish copies
                os.replace(staging, retired.retired_path(published_path))
        else:
            os.replace(staging, published_path)
    return _Swapped(papers, partitions, f"full copy: {reason}", size)


def _copy_into(source_path: Path, target: BinaryIO) -> int:
    """Copy a file into an open one in the kernel (sendfile), as shutil.copyfile does; its size."""
    with open(source_path, "rb") as source:
        size, offset = os.fstat(source.fileno()).st_size, 0
        while offset < size:
            sent = os.sendfile(target.fileno(), source.fileno(), offset, size - offset)
            if sent == 0:
                raise RuntimeError(f"{source_path} shrank while it was being published")
            offset += sent
    return size


def _verify(path: Path) -> tuple[int, int]:
    """Open the new snapshot read-only as a reader would; fail before the swap if it is unreadable."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        papers = con.execute("SELECT count(*) FROM papers").fetchall()[0][0]
        partitions = con.execute("SELECT count(*) FROM partition_loads").fetchall()[0][0]
    finally:
        con.close()
    return papers, partitions
