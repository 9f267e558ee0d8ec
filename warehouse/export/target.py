"""Where an export goes: a staging folder beside `--out`, swapped in by rename when complete.

The export is written to `.<name>.export-<id>.tmp` next to the target folder and swapped with it
in one `renameat2(RENAME_EXCHANGE)` (Linux): readers see the previous export or the new one,
never a mix, and a failed or killed export never touches the previous one. Where the exchange is
not available (another OS or file system) the previous export is first renamed aside as
`.<name>.export-<id>.previous.tmp`, then the new one is renamed into place; a process killed
between the two renames leaves the target missing, and the next export renames the previous
one back before it starts.

Each export holds an exclusive `flock` on its staging folder while it works, as the publish's
staging files do (warehouse/staging.py): a staging folder nobody holds belongs to a dead export
and is removed by the next one.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from warehouse import rename_exchange

# schema.json of every export says this, and only a folder that does may be replaced.
EXPORT_FORMAT = "papers-export"
SCHEMA_FILE = "schema.json"


class ExportTargetError(Exception):
    """The target folder cannot take an export (one line naming the folder and why)."""


def _staging_glob(out: Path) -> str:
    return f".{out.name}.export-*.tmp"


def is_export(folder: Path) -> bool:
    """Whether `folder` holds an export written by `papers export` (its schema.json says so)."""
    try:
        schema = json.loads((folder / SCHEMA_FILE).read_text())
    except (OSError, ValueError):
        return False
    return isinstance(schema, dict) and schema.get("format") == EXPORT_FORMAT


def prepare_target(out: Path) -> Path:
    """The absolute target folder, checked: its parent exists (made if needed) and is writable,
    and the folder itself is missing, empty or a previous export (never a user's own folder).

    Also tidies what dead exports left beside it (see the module docstring).
    """
    out = Path(os.path.abspath(out))
    if out.is_symlink():
        out = out.resolve()
    if out.parent == out:
        raise ExportTargetError(f"--out {out}: choose a folder, not the file system root")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportTargetError(f"--out {out}: cannot create {out.parent}: {error.strerror}") from None
    if not os.access(out.parent, os.W_OK | os.X_OK):
        raise ExportTargetError(f"--out {out}: {out.parent} is not writable")
    _restore_previous(out)
    remove_stale_staging(out)
    if out.exists() and not out.is_dir():
        raise ExportTargetError(f"--out {out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not is_export(out):
        raise ExportTargetError(
            f"--out {out}: exists and is not a papers export (no {SCHEMA_FILE} written by `papers export`); "
            "choose another folder or empty this one"
        )
    return out


@contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """A new, empty, locked staging folder beside `out`; removed when the block ends (after a
    swap it holds the previous export)."""
    staging = out.with_name(f".{out.name}.export-{uuid.uuid4().hex}.tmp")
    try:
        staging.mkdir()
    except OSError as error:
        raise ExportTargetError(f"--out {out}: cannot write in {out.parent}: {error.strerror}") from None
    handle = os.open(staging, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield staging
    finally:
        os.close(handle)
        shutil.rmtree(staging, ignore_errors=True)


def swap_in(staging: Path, out: Path, exchange: bool = True) -> None:
    """Put the complete export at `staging` in place of `out`; the previous export (if any) ends
    up at `staging`, for the caller to delete. `exchange=False` forces the two-rename way.

    The files reach the disk before the rename, so a power cut after it cannot leave the new
    names pointing at files whose data was never written (the previous export is deleted next).
    """
    for path in [*staging.rglob("*"), staging]:
        rename_exchange.sync_path(path)
    try:
        _swap(staging, out, exchange)
    finally:
        rename_exchange.sync_path(out.parent)


def _swap(staging: Path, out: Path, exchange: bool) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    if exchange and rename_exchange.exchange(staging, out):
        return
    previous = staging.with_name(staging.name.removesuffix(".tmp") + ".previous.tmp")
    os.rename(out, previous)
    os.rename(staging, out)
    os.rename(previous, staging)


def _restore_previous(out: Path) -> None:
    """Rename back a previous export left aside by an export killed between its two renames."""
    if out.exists():
        return
    for previous in sorted(out.parent.glob(f".{out.name}.export-*.previous.tmp")):
        if is_export(previous):
            os.rename(previous, out)
            return


def remove_stale_staging(out: Path) -> list[Path]:
    """Delete the staging folders of dead exports (those no live process holds locked)."""
    removed = []
    for staging in out.parent.glob(_staging_glob(out)):
        try:
            handle = os.open(staging, os.O_RDONLY)
        except OSError:
            continue  # its export finished meanwhile
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            continue  # a live export is writing it
        try:
            shutil.rmtree(staging, ignore_errors=True)
        finally:
            os.close(handle)
        removed.append(staging)
    return removed
