"""A run's days are transformed in chunks bounded by the size of their raw JSON."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from orchestration.assets.tables import day_chunks
from orchestration.raw_store import land_fetch, list_fetches

START = date(2025, 3, 3)


def land(raw_dir, day: date, size: int, fetches: int = 1) -> None:
    for i in range(fetches):
        at = datetime(2025, 3, 10, 8, i, tzinfo=timezone.utc)
        land_fetch(raw_dir, day, at, f"test://{day}", [b"[" + b" " * (size - 2) + b"]"], 0)


def chunked_days(raw_dir, days, max_bytes) -> list[list[date]]:
    return [list(chunk) for chunk in day_chunks({d: list_fetches(raw_dir, d) for d in days}, max_bytes)]


def test_days_are_cut_where_their_raw_json_passes_the_limit(tmp_path):
    days = [START + timedelta(days=i) for i in range(6)]
    for day, size in zip(days, [40, 40, 30, 100, 10, 10]):
        land(tmp_path, day, size)
    assert chunked_days(tmp_path, days, max_bytes=100) == [
        days[0:2],      # 40 + 40; a third day would pass 100
        days[2:3],      # 30 + 100 > 100
        days[3:4],      # 100 alone
        days[4:6],      # 10 + 10
    ]


def test_every_fetch_of_a_day_counts_and_a_huge_day_stands_alone(tmp_path):
    days = [START, START + timedelta(days=1)]
    land(tmp_path, days[0], 60, fetches=2)         # 120 bytes in two fetches
    land(tmp_path, days[1], 10)
    assert chunked_days(tmp_path, days, max_bytes=100) == [[days[0]], [days[1]]]
    assert chunked_days(tmp_path, days, max_bytes=1_000) == [days]
    assert chunked_days(tmp_path, [], max_bytes=100) == []
