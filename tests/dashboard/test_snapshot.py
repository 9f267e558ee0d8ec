"""The dashboard's snapshot reader: kept open while the file is unchanged, reopened after a swap."""

from __future__ import annotations

import os
import threading

import duckdb
import pytest

from dashboard.snapshot import WarehouseMissing, open_snapshot


def write_warehouse(path, papers: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE papers AS SELECT range AS paper_id FROM range(?)", [papers])


def count(path) -> int:
    with open_snapshot(path) as con:
        return con.execute("SELECT count(*) FROM papers").fetchall()[0][0]


def test_queries_share_one_open_snapshot_while_the_file_is_unchanged(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    write_warehouse(path, 3)
    with open_snapshot(path) as con:
        con.execute("CREATE TABLE memory.main.marker AS SELECT 1 AS x")  # lives in the shared in-memory db
    with open_snapshot(path) as con:
        assert con.execute("SELECT count(*) FROM memory.main.marker").fetchall() == [(1,)]
        assert con.execute("SELECT count(*) FROM papers").fetchall() == [(3,)]


def test_a_swapped_in_file_is_read_by_the_next_query(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    write_warehouse(path, 3)
    assert count(path) == 3
    staged = tmp_path / "staged.duckdb"
    write_warehouse(staged, 5)
    os.replace(staged, path)
    assert count(path) == 5
    with open_snapshot(path) as con:  # a new database: the old one's in-memory objects are gone
        assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'marker'").fetchall() == [(0,)]


def test_the_snapshot_is_read_only(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    write_warehouse(path, 1)
    with open_snapshot(path) as con, pytest.raises(duckdb.Error, match="read-only"):
        con.execute("DELETE FROM papers")


def test_a_missing_file_says_how_to_create_one(tmp_path):
    with pytest.raises(WarehouseMissing, match="papers up"):
        count(tmp_path / "nothing.duckdb")


def test_sessions_in_threads_read_whole_snapshots_across_swaps(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    write_warehouse(path, 10)
    seen, errors = [], []

    def read_many() -> None:
        try:
            for _ in range(30):
                seen.append(count(path))
        except Exception as error:  # noqa: BLE001 - any error is the failure being tested
            errors.append(error)

    readers = [threading.Thread(target=read_many) for _ in range(6)]
    for reader in readers:
        reader.start()
    for size in (20, 30, 40):
        staged = tmp_path / f"staged{size}.duckdb"
        write_warehouse(staged, size)
        os.replace(staged, path)
    for reader in readers:
        reader.join()
    assert errors == []
    assert set(seen) <= {10, 20, 30, 40} and len(seen) == 180
    assert count(path) == 40


def test_an_answer_about_the_file_is_computed_once_per_snapshot(tmp_path):
    from dashboard.snapshot import once_per_snapshot

    path = tmp_path / "warehouse.duckdb"
    write_warehouse(path, 3)
    computed: list[int] = []

    def papers(con) -> int:
        computed.append(1)
        return con.execute("SELECT count(*) FROM papers").fetchall()[0][0]

    assert once_per_snapshot(path, "papers", papers) == 3
    assert once_per_snapshot(path, "papers", papers) == 3
    assert len(computed) == 1  # remembered while the file is unchanged
    staged = tmp_path / "staged.duckdb"
    write_warehouse(staged, 5)
    os.replace(staged, path)
    assert once_per_snapshot(path, "papers", papers) == 5  # a publish swapped it: asked again
    assert len(computed) == 2


def test_a_result_is_remembered_per_snapshot_and_computed_again_after_a_publish(tmp_path):
    from dashboard.snapshot import remembered_result

    path = tmp_path / "warehouse.duckdb"
    write_warehouse(path, 3)
    computed: list[str] = []

    def papers_over(threshold: int):
        def compute(con) -> int:
            computed.append(f">{threshold}")
            return con.execute("SELECT count(*) FROM papers WHERE paper_id > ?", [threshold]).fetchall()[0][0]

        return compute

    assert remembered_result(path, ("over", 0), papers_over(0), size=lambda _: 8) == 2
    assert remembered_result(path, ("over", 0), papers_over(0), size=lambda _: 8) == 2
    assert remembered_result(path, ("over", 1), papers_over(1), size=lambda _: 8) == 1
    assert computed == [">0", ">1"]  # the same question on the same snapshot: answered from memory
    staged = tmp_path / "staged.duckdb"
    write_warehouse(staged, 5)
    os.replace(staged, path)
    assert remembered_result(path, ("over", 0), papers_over(0), size=lambda _: 8) == 4  # a new snapshot: asked again
    assert computed == [">0", ">1", ">0"]


def test_the_result_memory_keeps_within_its_budget(tmp_path, monkeypatch):
    from dashboard import snapshot

    monkeypatch.setattr(snapshot, "RESULTS_BUDGET_BYTES", 100)
    monkeypatch.setattr(snapshot, "LARGEST_REMEMBERED_BYTES", 60)
    path = tmp_path / "warehouse.duckdb"
    write_warehouse(path, 3)
    computed: list[str] = []

    def ask(key: str, weight: int) -> str:
        def compute(con) -> str:
            computed.append(key)
            return key

        return snapshot.remembered_result(path, key, compute, size=lambda _: weight)

    ask("big", 61)
    ask("big", 61)  # over the largest size: never kept
    ask("a", 50)
    ask("b", 40)
    ask("a", 50)  # kept (90 bytes in all); "a" is now the most recently used
    ask("c", 30)  # 120 bytes: the least recently used ("b") goes
    ask("a", 50)
    ask("b", 40)
    assert computed == ["big", "big", "a", "b", "c", "b"]


def test_the_repository_answers_from_memory_only_when_asked_to(tmp_path):
    from dashboard.repository import WarehouseRepository

    path = tmp_path / "warehouse.duckdb"
    write_warehouse(path, 3)
    remembering, asking = WarehouseRepository(path), WarehouseRepository(path, remember=False)
    sql = "SELECT count(*) AS papers FROM papers WHERE paper_id >= ?"
    assert remembering.frame(sql, [0])["papers"].to_list() == [3]
    with open_snapshot(path) as con:  # the attached snapshot is shared: a marker table shows which reads ran
        con.execute("CREATE TABLE memory.main.reads AS SELECT 0 AS n")
    counting = "SELECT count(*) AS papers, (SELECT n FROM memory.main.reads) AS marker FROM papers WHERE paper_id >= ?"
    assert remembering.frame(counting, [0]).row(0) == (3, 0)
    with open_snapshot(path) as con:
        con.execute("UPDATE memory.main.reads SET n = 1")
    assert remembering.frame(counting, [0]).row(0) == (3, 0)  # remembered: not read again
    assert asking.frame(counting, [0]).row(0) == (3, 1)  # remember=False: read again
    assert remembering.scalar("SELECT count(*) FROM papers") == 3


def test_a_publish_that_brings_back_an_earlier_inode_is_read_by_the_next_query(tmp_path):
    # The exchange publish alternates two inodes: the third publish brings back the first one.
    from warehouse.publish import publish_file

    working, path = tmp_path / "work.duckdb", tmp_path / "warehouse.duckdb"
    seen, inodes, ways = [], [], []
    for papers in (3, 5, 7, 9):
        with duckdb.connect(str(working)) as con:
            con.execute("CREATE OR REPLACE TABLE papers AS SELECT range AS paper_id FROM range(?)", [papers])
            con.execute("CREATE TABLE IF NOT EXISTS partition_loads AS SELECT 1 AS day")
        ways.append(publish_file(working, path, None).how.split(":")[0])
        inodes.append(path.stat().st_ino)
        seen.append(count(path))
    assert ways == ["full copy", "full copy", "exchange", "exchange"]
    assert inodes[2] == inodes[0] and inodes[3] == inodes[1]
    assert seen == [3, 5, 7, 9]
