"""A publish exchanges the published file with the retired snapshot, brought up to date by
rewriting only the chunks that changed, and copies the whole file whenever it cannot."""

from __future__ import annotations

import errno
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.warehouse.publish_helpers import add_papers, digest, papers, publish_change, two_publishes
from tests.warehouse.snapshot_reader import LOOK
from warehouse import publish
from warehouse.publish import publish_file
from warehouse.retired import retired_path

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_the_replaced_snapshot_is_retired_and_the_next_publish_rewrites_only_what_changed(publish_files):
    working, published = publish_files
    publish_file(working, published, None)
    first_inode = published.stat().st_ino
    publish_change(working, published, "second")
    second_inode = published.stat().st_ino
    assert retired_path(published).stat().st_ino == first_inode, "the replaced snapshot is kept"

    result = publish_change(working, published, "third")
    assert result.how.startswith("exchange: ")
    assert digest(published) == digest(working)
    assert (published.stat().st_ino, retired_path(published).stat().st_ino) == (first_inode, second_inode)
    assert result.papers == papers(published) == 2_100
    # Two runs' changes (the retired file is the snapshot before the previous one), not the file.
    assert 0 < result.bytes_written < published.stat().st_size / 2
    assert f"{result.chunks_rewritten} of " in result.how and f"of {result.size_bytes / 1e6:,.1f} MB" in result.how
    assert not list(published.parent.glob(".*.tmp"))


def test_a_half_written_retired_snapshot_still_publishes_exactly_the_working_file(publish_files):
    working, published = publish_files
    two_publishes(working, published)
    # What a publish killed mid-rewrite could leave: part garbage, part cut off.
    garbage = retired_path(published)
    garbage.write_bytes(random.Random(7).randbytes(garbage.stat().st_size // 2))
    result = publish_change(working, published, "third")
    assert result.how.startswith("exchange: ")
    assert digest(published) == digest(working) and papers(published) == 2_100


def test_exchange_false_copies_the_whole_file(publish_files):
    working, published = publish_files
    two_publishes(working, published)
    result = publish_change(working, published, "third", exchange=False)
    assert result.how == "full copy: asked for" and result.chunks_rewritten is None
    assert result.bytes_written == result.size_bytes == working.stat().st_size
    assert digest(published) == digest(working)


def test_a_reader_in_another_process_keeps_its_snapshot_across_two_publishes(publish_files):
    working, published = publish_files
    publish_file(working, published, None)
    reader = subprocess.Popen(
        [sys.executable, "-m", "tests.warehouse.snapshot_reader", str(published)],
        cwd=REPO_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )

    def look():
        reader.stdin.write("look\n")
        reader.stdin.flush()
        return json.loads(reader.stdout.readline())

    try:
        assert json.loads(reader.stdout.readline()) == "open"
        before = look()
        assert before[0] == 2_000
        # The first publish retires the reader's file, the second finds the reader on it.
        publish_change(working, published, "second")
        assert look() == before
        second = publish_change(working, published, "third")
        assert second.how == "full copy: a DuckDB reader in another process still has the retired snapshot open"
        assert look() == before, "the reader's snapshot was not written"
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
    assert reader.returncode == 0
    assert papers(published) == 2_100
    # The copy retired the snapshot it replaced (nobody reads that one): the next publish exchanges.
    result = publish_change(working, published, "fourth")
    assert result.how.startswith("exchange: ") and digest(published) == digest(working)


def test_a_reader_in_this_process_keeps_its_snapshot(publish_files):
    # POSIX locks belong to a process, so this reader is found by the open-file scan, not the lock.
    working, published = publish_files
    publish_file(working, published, None)
    reader = duckdb.connect(str(published), read_only=True)
    try:
        before = reader.execute(LOOK).fetchall()
        publish_change(working, published, "second")
        result = publish_change(working, published, "third")
        assert result.how.startswith(f"full copy: process {os.getpid()} (")
        assert reader.execute(LOOK).fetchall() == before
    finally:
        reader.close()
    assert papers(published) == 2_100


def test_a_file_system_that_cannot_exchange_gets_a_full_copy(publish_files, monkeypatch):
    working, published = publish_files
    two_publishes(working, published)
    monkeypatch.setattr(publish.rename_exchange, "exchange", lambda a, b: False)
    result = publish_change(working, published, "third")
    assert result.how == "full copy: this file system cannot exchange two files atomically"
    assert digest(published) == digest(working) and papers(published) == 2_100


def test_a_failure_before_the_swap_falls_back_to_a_full_copy(publish_files, monkeypatch):
    working, published = publish_files
    two_publishes(working, published)
    before = digest(published)

    def disk_full(source_fd, target_fd):
        raise OSError(errno.ENOSPC, "No space left on device", str(retired_path(published)))

    monkeypatch.setattr(publish, "sync_chunks", disk_full)
    result = publish_change(working, published, "third")
    assert result.how.startswith("full copy: the exchange failed before its swap: OSError: [Errno 28] No space left")
    assert digest(published) != before and digest(published) == digest(working)


def test_a_snapshot_that_does_not_open_is_never_published(publish_files):
    working, published = publish_files
    two_publishes(working, published)
    before = digest(published)
    add_papers(working, "third", 50)
    with open(working, "r+b") as handle:  # DuckDB's main header: the file no longer opens
        handle.write(b"\0" * 4096)
    with pytest.raises(duckdb.Error):
        publish_file(working, published, None)
    assert digest(published) == before and papers(published) == 2_050
