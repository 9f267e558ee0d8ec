"""renameat2(RENAME_EXCHANGE) works on this file system, so the export and the publish take their
atomic ways here (on a file system without it they fall back, which the tests would not see)."""

from __future__ import annotations

import pytest

from warehouse.rename_exchange import exchange


def test_two_folders_swap_in_one_step(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "from-a").touch()
    assert exchange(tmp_path / "a", tmp_path / "b")  # else every export swap here would take the two-rename way
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["from-a"] and list((tmp_path / "a").iterdir()) == []


def test_two_files_swap_their_inodes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(b"new snapshot")
    b.write_bytes(b"old snapshot")
    inode_a, inode_b = a.stat().st_ino, b.stat().st_ino
    assert exchange(a, b)  # else every publish here would copy the whole file
    assert (b.read_bytes(), a.read_bytes()) == (b"new snapshot", b"old snapshot")
    assert (b.stat().st_ino, a.stat().st_ino) == (inode_a, inode_b)


def test_a_missing_path_is_an_error_naming_it(tmp_path):
    (tmp_path / "a").write_bytes(b"x")
    with pytest.raises(FileNotFoundError, match="missing"):
        exchange(tmp_path / "a", tmp_path / "missing")
