"""Staging copies of a publish: locked while their publish runs, removed when it died.

A publish writes `.warehouse.duckdb.<id>.tmp` beside the published file and renames it over
it. A publish killed mid-copy (SIGKILL, out of memory, power loss) never reaches its cleanup,
and its copy, as large as the warehouse, would stay forever. Each publish therefore holds an
exclusive `flock` on its staging file for as long as it works on it: the kernel releases it
when the process dies, so a staging file nobody holds a lock on belongs to a dead publish.
"""

from __future__ import annotations

import fcntl
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def staging_glob(published_path: Path) -> str:
    """The names of the staging copies for `published_path` (a glob pattern)."""
    return f".{published_path.name}.*.tmp"


@contextmanager
def locked_staging_file(published_path: Path) -> Iterator[tuple[Path, BinaryIO]]:
    """A new, empty staging file beside `published_path`, opened for writing and locked
    until the block ends (the caller renames it or it is deleted here)."""
    staging = published_path.with_name(f".{published_path.name}.{uuid.uuid4().hex}.tmp")
    handle = open(staging, "xb")  # noqa: SIM115 - closed in `finally` before the unlink; a failed open must unlink nothing
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield staging, handle
    finally:
        handle.close()
        staging.unlink(missing_ok=True)


def remove_stale_staging_files(published_path: Path) -> list[Path]:
    """Delete the staging copies of dead publishes (those no live process holds locked)."""
    removed = []
    for staging in published_path.parent.glob(staging_glob(published_path)):
        try:
            handle = open(staging, "rb")  # noqa: SIM115 - entered with `with handle` below; only the open is guarded
        except FileNotFoundError:
            continue  # its publish finished meanwhile
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a live publish is writing it
            staging.unlink(missing_ok=True)
            removed.append(staging)
    return removed
