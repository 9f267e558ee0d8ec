"""The publish measurement: a whole tiny run alternates the two ways, and compares chunk sizes."""

from __future__ import annotations

from datetime import date

from bench.measure_publish import compare_chunks, measure
from warehouse.paths import WarehousePaths


def test_chunks_are_compared_without_writing(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(b"x" * 10 + b"y" * 10 + b"z" * 5)
    b.write_bytes(b"x" * 10 + b"Y" * 10 + b"z" * 5)
    assert compare_chunks(a, b, 10) | {"compare_s": 0} == {
        "chunk_kib": 0,
        "chunks": 3,
        "chunks_differing": 1,  # the middle one; the short last chunk is equal
        "mb_to_write": 0.0,
        "compare_s": 0,
    }
    assert b.read_bytes() == b"x" * 10 + b"Y" * 10 + b"z" * 5


def test_a_tiny_run_publishes_each_way_it_was_asked_and_cleans_up(tmp_path):
    from bench.generate import DEFAULT_SEED
    from bench.history import build_published_history

    history = tmp_path / "history"
    build_published_history(history, date(2026, 6, 2), 3, 3, DEFAULT_SEED)
    before = WarehousePaths(history).published_path.read_bytes()
    result = measure(history, tmp_path / "work", papers_per_day=3, rounds=1, keep=False)
    assert [p["how"].split(":")[0] for p in result["setup_publishes"]] == ["full copy", "full copy"]
    ways = [(p["asked"], p["how"].split(":")[0]) for p in result["publishes"]]
    assert ways == [("full copy", "full copy"), ("exchange", "exchange")]
    exchange = result["publishes"][1]
    assert 0 < exchange["bytes_written"] <= exchange["size_bytes"] and exchange["chunks_rewritten"] > 0
    assert result["summary"]["exchange"]["took"] == ["exchange"]
    assert [c["chunk_kib"] for c in result["chunk_sizes_one_change_apart"]] == [256, 1024, 4096]
    assert not (tmp_path / "work" / "home").exists()
    assert WarehousePaths(history).published_path.read_bytes() == before  # the history was only read
