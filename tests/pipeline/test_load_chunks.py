"""A run's days are transformed in chunks bounded by the size of their raw JSON."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from polars.testing import assert_frame_equal

from landing.raw_store import land_fetch, list_fetches
from pipeline.load_days import day_chunks

START = date(2025, 3, 3)


def land(raw_dir, day: date, size: int, fetches: int = 1) -> None:
    for i in range(fetches):
        at = datetime(2025, 3, 10, 8, i, tzinfo=UTC)
        land_fetch(raw_dir, day, at, f"test://{day}", [b"[" + b" " * (size - 2) + b"]"], 0)


def chunked_days(raw_dir, days, max_bytes) -> list[list[date]]:
    return [list(chunk) for chunk in day_chunks({d: list_fetches(raw_dir, d) for d in days}, max_bytes)]


def test_days_are_cut_where_their_raw_json_passes_the_limit(tmp_path):
    days = [START + timedelta(days=i) for i in range(6)]
    for day, size in zip(days, [40, 40, 30, 100, 10, 10], strict=True):
        land(tmp_path, day, size)
    assert (
        chunked_days(tmp_path, days, max_bytes=100)
        == [
            days[0:2],  # 40 + 40; a third day would pass 100
            days[2:3],  # 30 + 100 > 100
            days[3:4],  # 100 alone
            days[4:6],  # 10 + 10
        ]
    )


def test_only_a_days_newest_fetch_counts_and_a_huge_day_stands_alone(tmp_path):
    days = [START, START + timedelta(days=1), START + timedelta(days=2)]
    land(tmp_path, days[0], 60, fetches=3)  # 180 bytes in three fetches, the newest 60
    land(tmp_path, days[1], 30)
    land(tmp_path, days[2], 120)
    assert chunked_days(tmp_path, days, max_bytes=100) == [days[0:2], [days[2]]]  # 60 + 30; 120 alone
    assert chunked_days(tmp_path, days, max_bytes=1_000) == [days]
    assert chunked_days(tmp_path, [], max_bytes=100) == []


def test_earlier_fetches_votes_read_in_small_passes_are_those_read_in_one(tmp_path, sample_api_dir):
    from pipeline.load_days import batches_for_fetches

    days = land_sample_days(tmp_path, sample_api_dir)
    for hour in (1, 2):  # two later fetches of every day: the first two are earlier fetches
        for day in days:
            body = (sample_api_dir / f"daily_papers_{day.isoformat()}.json").read_bytes()
            land_fetch(tmp_path, day, datetime(2026, 1, 1, hour, tzinfo=UTC), f"test://{day}", [body], 0)
    fetches = {day: list_fetches(tmp_path, day) for day in days}
    one_pass = batches_for_fetches(fetches, max_bytes=10**9)
    a_fetch_a_pass = batches_for_fetches(fetches, max_bytes=1)
    assert [b.votes.height for b in one_pass] == [3 * b.papers.height for b in one_pass]  # three observations a paper
    for whole, cut in zip(one_pass, a_fetch_a_pass, strict=True):
        assert_frame_equal(cut.votes, whole.votes)
        assert_frame_equal(cut.papers, whole.papers)


def land_sample_days(raw_dir, sample_api_dir) -> list[date]:
    days = []
    for path in sorted(sample_api_dir.glob("daily_papers_*.json")):
        day = date.fromisoformat(path.stem.removeprefix("daily_papers_"))
        land_fetch(raw_dir, day, datetime(2026, 1, 1, tzinfo=UTC), f"test://{day}", [path.read_bytes()], 0)
        days.append(day)
    return days


def test_a_load_that_runs_out_of_memory_is_run_again_with_more(tmp_path, sample_api_dir, monkeypatch):
    import logging

    import duckdb

    from pipeline import load_days as tables
    from warehouse.db import connect_writer

    days = land_sample_days(tmp_path / "raw", sample_api_dir)
    expected_con = connect_writer(tmp_path / "expected.duckdb")
    expected = tables.load_days(expected_con, tmp_path / "raw", days, logging.getLogger())
    connect_writer(tmp_path / "warehouse.duckdb").close()  # schema applied
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))  # holds next to no memory yet
    con.execute("SET memory_limit = '3GB'")
    transformed: list[int] = []
    transform = tables.batches_for_fetches
    monkeypatch.setattr(tables, "batches_for_fetches", lambda chunk: transformed.append(1) or transform(chunk))
    # too little for the load, enough for its ROLLBACK
    monkeypatch.setattr(tables, "LOAD_MEMORY_LIMITS", ("256KB", "1GB"))

    outcomes = tables.load_days(con, tmp_path / "raw", days, logging.getLogger())

    assert len(transformed) == 2  # the chunk again, after the first try ran out of memory
    assert [(o.listing_date, o.papers) for o in outcomes] == [(o.listing_date, o.papers) for o in expected]
    for table in ("papers", "paper_authors", "authors", "votes"):
        assert (
            con.execute(f"SELECT count(*) FROM {table}").fetchall()
            == expected_con.execute(f"SELECT count(*) FROM {table}").fetchall()
        )
    assert con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0].startswith("2.")  # restored
