"""Who is writing: one claim file per process that runs a warehouse-writing run from a terminal.

A process that is about to run a job whose step writes DuckDB (`papers backfill`,
`papers import-listing`) first creates `$DAGSTER_HOME/writer_claims/<run_id>.json`, saying which
process it is, and holds an exclusive `fcntl.flock` on it until the run is over. The operating
system drops that lock when the process ends, however it ends (SIGKILL, out of memory): a claim
file whose lock can be taken is the proof that its writer is dead, with no guess from pids (which
the system reuses) or from timestamps. The file is written before the Dagster pool slot is asked
for, so every slot a terminal run holds or waits for has a claim file for as long as it matters.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

CLAIMS_FOLDER = "writer_claims"


@dataclass(frozen=True)
class WriterOwner:
    """The process that runs (or ran) one writing run."""

    run_id: str
    pid: int
    host: str
    command: str
    started_at: str

    @classmethod
    def of_this_process(cls, run_id: str) -> WriterOwner:
        command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv else "python"
        return cls(run_id, os.getpid(), socket.gethostname(), command, datetime.now(UTC).isoformat(timespec="seconds"))

    def describe(self) -> str:
        """`papers backfill ... (pid 123 on host)`."""
        return f"`{self.command}` (pid {self.pid} on {self.host})"


def claims_dir(dagster_home: str | Path) -> Path:
    """Where the claim files of an instance live."""
    return Path(dagster_home) / CLAIMS_FOLDER


@contextmanager
def claim_file(directory: Path, owner: WriterOwner) -> Iterator[Path]:
    """Hold a locked claim file for `owner` while the block runs; removed afterwards.

    Written under a temporary name, locked, then renamed: a reader never sees the final name
    unlocked while the owner lives, nor a half-written file.
    """
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / f"{owner.run_id}.json"
    staging = directory / f".{owner.run_id}.{uuid.uuid4().hex}.tmp"
    fd = os.open(staging, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, json.dumps(asdict(owner)).encode())
        os.rename(staging, final)
        try:
            yield final
        finally:
            final.unlink(missing_ok=True)
    finally:
        staging.unlink(missing_ok=True)
        os.close(fd)  # releases the lock


@contextmanager
def dead_owners(directory: Path) -> Iterator[list[WriterOwner]]:
    """The owners whose process is gone (their claim file's lock is free), locked for the block.

    The caller cleans up after them inside the block; their claim files are removed at its end.
    Temporary files of owners that died while creating them are removed on the way.
    """
    held: list[tuple[int, Path]] = []
    owners: list[WriterOwner] = []
    try:
        paths = [*directory.glob("*.json"), *directory.glob(".*.tmp")] if directory.is_dir() else []
        for path in sorted(paths):
            fd = _lock_if_free(path)
            if fd is None:
                continue
            held.append((fd, path))
            if path.suffix == ".json":
                owner = _read_owner(fd, path)
                if owner is not None:
                    owners.append(owner)
        yield owners
    finally:
        for fd, path in held:
            path.unlink(missing_ok=True)
            os.close(fd)


def read_owner(directory: Path, run_id: str) -> WriterOwner | None:
    """The owner named in a run's claim file (alive or not), or None when there is none."""
    try:
        return WriterOwner(**json.loads((directory / f"{run_id}.json").read_text()))
    except (OSError, ValueError, TypeError):
        return None


def _lock_if_free(path: Path) -> int | None:
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:  # its owner finished meanwhile
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # its owner is alive
        os.close(fd)
        return None
    if not path.exists():  # removed by its owner or another recoverer between open and lock
        os.close(fd)
        return None
    return fd


def _read_owner(fd: int, path: Path) -> WriterOwner | None:
    try:
        return WriterOwner(**json.loads(os.pread(fd, 1 << 16, 0)))
    except (ValueError, TypeError):
        # Only this module writes claim files, whole before they get their name; an unreadable
        # one was edited by hand. Its run id is still its name.
        return WriterOwner(path.stem, 0, "?", "unknown command", "?")


@contextmanager
def exclusive(directory: Path, name: str = ".recovery.lock") -> Iterator[None]:
    """One process at a time in the block (for recovery, so two never clean up the same run)."""
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(directory / name, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
