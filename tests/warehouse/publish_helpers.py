"""A working warehouse of several chunks (fixtures `publish_base`, `publish_files`, made
available to tests/warehouse by its conftest), changed and published as runs
do, for the publish tests."""

from __future__ import annotations

import hashlib
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from warehouse.db import connect_writer
from warehouse.publish import PublishResult, checkpoint_and_log, publish_file


def add_papers(working: Path, tag: str, n: int) -> datetime:
    """Add `n` papers with distinct ~200-byte summaries,
    log and checkpoint as a run does; the publish time."""
    con = connect_writer(working)
    try:
        con.execute(
            "INSERT INTO papers (paper_id, title, summary, listing_date, upvotes, author_count) "
            "SELECT ? || i, 'T', repeat(md5(? || i), 6), DATE '2024-05-27', 1, 1 FROM range(?) r(i)",
            [tag, tag, n],
        )
        return checkpoint_and_log(con, run_id=tag)
    finally:
        con.close()


def papers(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT count(*) FROM papers").fetchall()[0][0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def publish_base(tmp_path_factory) -> Path:
    """A checkpointed working file of 2,000 papers and a table no run changes (~45 MB: most of
    a warehouse is history a run does not touch), built once."""
    path = tmp_path_factory.mktemp("base") / "warehouse.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE history AS SELECT md5(i::VARCHAR) AS h FROM range(1500000) r(i)")
    add_papers(path, "base", 2_000)
    return path


@pytest.fixture
def publish_files(tmp_path, publish_base) -> tuple[Path, Path]:
    """(working, published) under a fresh home, the working file a copy of `publish_base`."""
    working = tmp_path / "work" / "warehouse.duckdb"
    working.parent.mkdir()
    shutil.copyfile(publish_base, working)
    return working, tmp_path / "warehouse.duckdb"


def publish_change(working: Path, published: Path, tag: str, **kwargs) -> PublishResult:
    """A run's change (50 new papers), then its publish."""
    return publish_file(working, published, add_papers(working, tag, 50), **kwargs)


def two_publishes(working: Path, published: Path) -> None:
    """The first publish of a home, then one that leaves a retired snapshot."""
    assert publish_file(working, published, None).how == "full copy: nothing published yet"
    assert publish_change(working, published, "second").how == "full copy: no retired snapshot yet"
