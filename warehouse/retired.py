"""The retired snapshot: the previously published file, kept under a hidden name so the next
publish can bring it up to date by rewriting only what changed (warehouse/publish.py).

`.warehouse.duckdb.retired` beside the published file is the inode that was published before
the current one. A publish may write into it only when nobody reads it: a reader that opened the
published file before the last publish still reads that inode. Such readers are found by:

- the POSIX (fcntl) lock every DuckDB connection takes on its database file, shared for a
  read-only one: an exclusive non-blocking lock fails while any other process has it open in
  DuckDB, whoever the user;
- a `flock` lock, which a program that is not DuckDB can hold (`flock -s FILE cp FILE ...`);
- the open files of the processes this user may see (`/proc/<pid>/fd`), which finds a `cp` or
  `rsync` reading it, and a DuckDB connection in this very process: POSIX locks are per process,
  so the lock above cannot see those.
"""

from __future__ import annotations

import errno
import fcntl
import os
from dataclasses import dataclass
from pathlib import Path


def retired_path(published_path: Path) -> Path:
    """The hidden name of the previously published snapshot beside `published_path`."""
    return published_path.with_name(f".{published_path.name}.retired")


@dataclass(frozen=True)
class Unavailable:
    """Why the retired file cannot be written now (the publish then copies the whole file)."""

    reason: str


def claim(retired: Path) -> int | Unavailable:
    """The retired file opened for reading and writing, with an exclusive fcntl and flock lock
    held, if no reader has it open; otherwise why not. The caller closes the descriptor.

    Closing any other descriptor of the file in this process (DuckDB's, when the publish verifies
    it) drops the fcntl lock: the caller does all its writing before that.
    """
    try:
        fd = os.open(retired, os.O_RDWR | os.O_CLOEXEC)
    except FileNotFoundError:
        return Unavailable("no retired snapshot yet")
    try:
        unavailable = _why_not(fd)
    except BaseException:
        os.close(fd)
        raise
    if unavailable is not None:
        os.close(fd)
        return unavailable
    return fd


def _why_not(fd: int) -> Unavailable | None:
    links = os.fstat(fd).st_nlink
    if links != 1:
        # Another name (a user's hard link, a backup) points at the same bytes: never change them.
        return Unavailable(f"the retired snapshot has {links} hard links")
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        if error.errno in (errno.EAGAIN, errno.EACCES):
            return Unavailable("a DuckDB reader in another process still has the retired snapshot open")
        raise
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return Unavailable("a process holds a flock on the retired snapshot")
    holder = _other_holder(fd)
    if holder is not None:
        return Unavailable(f"{holder} has the retired snapshot open")
    return None


def _other_holder(own_fd: int) -> str | None:
    """A process (this one included, other descriptors than `own_fd`) that has the same inode
    open, as 'process <pid> (<name>)'; None when none of the processes we may see has."""
    stat = os.fstat(own_fd)
    target, me = (stat.st_dev, stat.st_ino), os.getpid()
    try:
        pids = [int(name) for name in os.listdir("/proc") if name.isdigit()]
    except FileNotFoundError:
        return None  # no procfs: the locks above are all there is
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue  # gone, or another user's
        for fd in fds:
            if pid == me and fd == str(own_fd):
                continue
            try:
                found = os.stat(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue  # closed meanwhile
            if (found.st_dev, found.st_ino) == target:
                return f"process {pid} ({_name(pid)})"
    return None


def _name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"
