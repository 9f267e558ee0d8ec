"""A full disk, said in one line that names the path, instead of a retry or a DuckDB follow-up.

Without this, a full disk while landing raw files or loading showed as "Exceeded max_retries of
1" (the step retried and failed again) or as DuckDB's "cannot rollback - no transaction is
active" (DuckDB ends the transaction itself when a write fails). What was written is already
safe by then: a raw fetch is renamed into place only when complete, the load's transaction is
rolled back, and the published file is swapped only after a complete, verified copy.
The Dagster step raises it as `DiskFull` (orchestration/runs/step_failures.py).
"""

from __future__ import annotations

import errno
import re
import shutil
from pathlib import Path

_NO_SPACE = re.compile(r"no space left on device|disk is full|not enough space", re.IGNORECASE)
_QUOTED_PATH = re.compile(r"""["'](/[^"']+)["']""")


def is_disk_full(error: BaseException) -> bool:
    """Whether `error`, or an error it was raised from, is a full disk."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, OSError) and seen.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if _NO_SPACE.search(str(seen)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def disk_full_message(error: BaseException, where: Path) -> str:
    """One line: which file could not be written, on which disk, and that nothing was changed."""
    path = _failed_path(error) or str(where)
    try:
        free = f"{shutil.disk_usage(where).free / 1e6:.1f} MB free"
    except OSError:
        free = "free space unknown"
    return (
        f"No space left on device writing {path} ({free} on the disk of {where}); the "
        "published warehouse was not changed. Free some space and run again."
    )


def _failed_path(error: BaseException) -> str | None:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, OSError) and seen.filename:
            return str(seen.filename)
        match = _QUOTED_PATH.search(str(seen))
        if match:
            return match.group(1)
        seen = seen.__cause__ or seen.__context__
    return None
