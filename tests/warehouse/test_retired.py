"""The retired snapshot is claimed for writing only when no reader has it open, whoever reads it."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from warehouse import retired

HOLDERS = {
    # A dashboard or duckdb-cli: a read-only DuckDB connection (a shared fcntl lock).
    "duckdb": "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True)",
    # A program that is not DuckDB and takes no lock: cp, rsync, a backup tool.
    "plain": "import sys; handle = open(sys.argv[1], 'rb')",
    # `flock -s FILE cp FILE ...`: a shared flock, as the docs suggest for other users' copies.
    "flock": "import fcntl, sys; handle = open(sys.argv[1], 'rb'); fcntl.flock(handle, fcntl.LOCK_SH)",
}


@contextmanager
def held(path: Path, how: str):
    """Another process that holds `path` open the way `how` says until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDERS[how] + "; print('holding', flush=True); sys.stdin.read()", str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        yield holder
    finally:
        holder.kill()
        holder.wait()


@pytest.fixture
def snapshot(tmp_path) -> Path:
    """A retired snapshot (a small DuckDB file) under its hidden name."""
    path = retired.retired_path(tmp_path / "warehouse.duckdb")
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE papers AS SELECT 1 AS paper_id")
    return path


def claimed(path: Path) -> int | retired.Unavailable:
    result = retired.claim(path)
    if isinstance(result, int):
        os.close(result)
    return result


def test_the_retired_name_is_hidden_beside_the_published_file(tmp_path):
    assert retired.retired_path(tmp_path / "warehouse.duckdb") == tmp_path / ".warehouse.duckdb.retired"


def test_a_snapshot_nobody_reads_is_claimed(snapshot):
    assert isinstance(claimed(snapshot), int)


def test_a_missing_snapshot_is_a_reason(tmp_path):
    assert claimed(tmp_path / ".warehouse.duckdb.retired") == retired.Unavailable("no retired snapshot yet")


@pytest.mark.parametrize(
    ("how", "says"),
    [
        ("duckdb", "a DuckDB reader in another process"),
        ("plain", "has the retired snapshot open"),
        ("flock", "holds a flock"),
    ],
)
def test_a_reader_in_another_process_keeps_it(snapshot, how, says):
    with held(snapshot, how) as holder:
        busy = claimed(snapshot)
        assert isinstance(busy, retired.Unavailable) and says in busy.reason
        if how == "plain":
            assert f"process {holder.pid} (python" in busy.reason
    assert isinstance(claimed(snapshot), int), "free again once the reader is gone"


def test_a_duckdb_reader_in_this_process_keeps_it(snapshot):
    # POSIX locks belong to the process: the lock cannot see this reader, the open-file scan does.
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        busy = claimed(snapshot)
        assert isinstance(busy, retired.Unavailable) and f"process {os.getpid()} " in busy.reason
    finally:
        con.close()
    assert isinstance(claimed(snapshot), int)


def test_a_snapshot_with_another_hard_link_is_never_written(snapshot, tmp_path):
    os.link(snapshot, tmp_path / "my-backup.duckdb")
    assert claimed(snapshot) == retired.Unavailable("the retired snapshot has 2 hard links")


def test_a_claim_holds_off_a_second_claimer(snapshot):
    fd = retired.claim(snapshot)
    assert isinstance(fd, int)
    try:
        other = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from warehouse import retired; print(retired.claim(__import__('pathlib').Path(sys.argv[1])))",
                str(snapshot),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        assert "Unavailable(" in other.stdout, other.stdout + other.stderr
    finally:
        os.close(fd)
