"""Swap two paths in one atomic step: Linux's `renameat2(RENAME_EXCHANGE)`.

Both names keep pointing at a complete file (or folder) throughout: a reader opening either name
sees the old one or the new one, never nothing. Used by the export's folder swap and the publish's
exchange with the retired file; `sync_path` puts a rename on disk.
"""

from __future__ import annotations

import ctypes
import errno
import os
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths atomically; False where the OS or file system cannot (the caller
    then takes another way), OSError for any other failure."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(b))


def sync_path(path: Path) -> None:
    """fsync a file or a folder by its path (a folder: so the renames in it survive a power cut)."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
