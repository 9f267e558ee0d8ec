"""Publishing swaps a complete copy in atomically; open readers are never broken."""

from __future__ import annotations

import subprocess
import sys

import duckdb

from warehouse.db import connect_writer
from warehouse.publish import checkpoint_and_log, publish_file


def write_papers(path, ids: list[str]) -> None:
    con = connect_writer(path)
    for paper_id in ids:
        con.execute(
            "INSERT INTO papers (paper_id, title, listing_date, upvotes, author_count) VALUES (?, 'T', DATE '2024-05-27', 1, 1)",
            [paper_id],
        )
    published_at = checkpoint_and_log(con, run_id="test-run")
    con.close()
    return published_at


def test_publish_makes_a_readable_snapshot(tmp_path):
    working, published = tmp_path / "work" / "w.duckdb", tmp_path / "warehouse.duckdb"
    at = write_papers(working, ["a", "b"])
    result = publish_file(working, published, at)
    assert result.papers == 2
    with duckdb.connect(str(published), read_only=True) as reader:
        assert reader.execute("SELECT count(*) FROM papers").fetchall()[0][0] == 2
        assert reader.execute("SELECT run_id FROM publish_log").fetchall() == [("test-run",)]
    assert not list(tmp_path.glob(".*.tmp")), "no staging copy is left behind"


def test_an_open_reader_keeps_its_snapshot_and_the_next_reader_sees_the_new_one(tmp_path):
    working, published = tmp_path / "work" / "w.duckdb", tmp_path / "warehouse.duckdb"
    publish_file(working, published, write_papers(working, ["a"]))
    reader = duckdb.connect(str(published), read_only=True)
    try:
        # The writer works and publishes while the reader holds the published file open.
        publish_file(working, published, write_papers(working, ["b", "c"]))
        assert reader.execute("SELECT count(*) FROM papers").fetchall()[0][0] == 1
    finally:
        reader.close()
    with duckdb.connect(str(published), read_only=True) as fresh:
        assert fresh.execute("SELECT count(*) FROM papers").fetchall()[0][0] == 3


def test_publish_refuses_a_working_file_with_a_pending_wal(tmp_path):
    working, published = tmp_path / "w.duckdb", tmp_path / "warehouse.duckdb"
    write_papers(working, ["a"])
    working.with_name("w.duckdb.wal").write_bytes(b"pending")
    try:
        publish_file(working, published, None)
    except RuntimeError as error:
        assert "WAL" in str(error)
    else:
        raise AssertionError("publish must refuse while a WAL is pending")
    assert not published.exists()


def test_a_publish_removes_staging_copies_of_dead_publishes_but_not_of_live_ones(tmp_path):
    working, published = tmp_path / "work" / "w.duckdb", tmp_path / "warehouse.duckdb"
    at = write_papers(working, ["a"])
    # A publish killed mid-copy: its staging file is there, and nobody holds its lock.
    dead = tmp_path / ".warehouse.duckdb.0123456789abcdef.tmp"
    dead.write_bytes(b"half a copy")
    # A publish still copying in another process holds its staging file's lock.
    live = tmp_path / ".warehouse.duckdb.fedcba9876543210.tmp"
    live.write_bytes(b"being written")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time; h = open(sys.argv[1], 'rb'); fcntl.flock(h, fcntl.LOCK_EX); "
            "print('locked', flush=True); time.sleep(60)",
            str(live),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        publish_file(working, published, at)
        assert not dead.exists(), "the dead publish's copy is cleaned up"
        assert live.exists(), "a live publish's copy is left alone"
    finally:
        holder.kill()
        holder.wait()
    publish_file(working, published, at)
    assert not live.exists(), "once its process is gone, the next publish removes it"
    assert not list(tmp_path.glob(".*.tmp"))
