"""Warehouse files written by a newer DuckDB (2.0) are copied into the supported format on first open.

The pinned duckdb cannot open them, so the copy runs in a separate process with the DuckDB that
wrote them (`warehouse.migrate_copy`, started through the project's uv, which fetches that
duckdb from the package registry once and caches it). The copy is written beside the file,
its row counts are checked table by table against the old file's, the old file is kept as a
hard-linked backup, and the copy is renamed over the old name (atomic: a reader sees the old
file or the new one, never a half-written one).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import duckdb

from papers_settings import REPO_ROOT
from warehouse.storage_format import READABLE_STORAGE_NUMBERS, needs_migration, storage_number

# The release that wrote the project's warehouses before duckdb was pinned to 1.5.5.
WRITER_DUCKDB = "duckdb==2.0.0"
PROJECT_UV = REPO_ROOT / ".tools" / "bin" / "uv"


class MigrationError(RuntimeError):
    """The file needs migrating and it could not be done; the message says what to run."""


def ensure_readable(path: Path) -> Path | None:
    """Migrate the DuckDB file at `path` if the pinned duckdb cannot read it.

    Returns the backup of the old file when a migration happened, else None. Safe to call from
    several processes at once: one migrates, the others wait for it and find the file readable.
    """
    path = Path(path)
    if not needs_migration(path):
        return None
    with _exclusive(path):
        if not needs_migration(path):  # another process migrated it while we waited
            return None
        return _migrate(path)


def migration_command(path: Path, new: Path) -> list[str]:
    """The side process that copies `path` into `new` with the DuckDB that wrote it."""
    uv = PROJECT_UV if PROJECT_UV.exists() else shutil.which("uv")
    if uv is None:
        raise MigrationError(_refusal(path, "uv is not installed (run `python3 dev.py setup`)"))
    return [
        str(uv),
        "run",
        "--quiet",
        "--no-project",
        "--with",
        WRITER_DUCKDB,
        "python",
        "-m",
        "warehouse.migrate_copy",
        str(path),
        str(new),
    ]


def _migrate(path: Path) -> Path:
    number = storage_number(path)
    # Not named like a publish's staging copy (.*.tmp), which a publish removes when unlocked.
    new = path.with_name(f".{path.name}.migrating")
    backup = path.with_name(f"{path.name}.storage-{number}.bak")
    new.unlink(missing_ok=True)
    try:
        command = migration_command(path, new)
        done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise MigrationError(_refusal(path, f"the copy failed: {reason}"))
        expected = json.loads(done.stdout.strip().splitlines()[-1])["tables"]
        _verify(new, expected)
        backup.unlink(missing_ok=True)
        os.link(path, backup)
        _move_wal(path, backup)
        os.replace(new, path)
    finally:
        new.unlink(missing_ok=True)
    print(
        f"migrated {path} (DuckDB storage version {number}) to the format duckdb "
        f"{duckdb.__version__} reads; the old file is kept as {backup}",
        file=sys.stderr,
    )
    return backup


def _verify(new: Path, expected: dict[str, int]) -> None:
    """The copy opens with our duckdb and has the old file's tables with the same row counts."""
    con = duckdb.connect(str(new), read_only=True)
    try:
        tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()
        found = {f"{s}.{t}": con.execute(f'SELECT count(*) FROM "{s}"."{t}"').fetchall()[0][0] for s, t in tables}
    finally:
        con.close()
    if found != expected:
        raise MigrationError(f"migrated copy {new} differs from the original: {expected} rows vs {found}")


def _move_wal(path: Path, backup: Path) -> None:
    """The old file's WAL (replayed into the copy) goes with the backup, never onto the new file."""
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        os.replace(wal, backup.with_name(backup.name + ".wal"))


def _refusal(path: Path, reason: str) -> str:
    return (
        f"{path} was written by a newer DuckDB (storage version {storage_number(path)}; duckdb "
        f"{duckdb.__version__} reads {READABLE_STORAGE_NUMBERS.start}-{READABLE_STORAGE_NUMBERS.stop - 1}) "
        f"and migrating it failed: {reason}. Migrate it by hand from {REPO_ROOT}: "
        f"`.tools/bin/uv run --no-project --with {WRITER_DUCKDB} python -m warehouse.migrate_copy "
        f"{path} {path}.new && mv {path} {path}.bak && mv {path}.new {path}`"
    )


@contextmanager
def _exclusive(path: Path):
    lock_path = path.with_name(f".{path.name}.migrate.lock")
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
