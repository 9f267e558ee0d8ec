"""The generator: deterministic, shaped like the real API by era, and readable by the transforms."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from bench.eras import era_for
from bench.fixture_stats import load_fixture_stats
from bench.generate import DayGenerator, day_range, write_days
from transforms import build_listing_tables

ERA_A_DAY = date(2024, 5, 27)  # before 2024-08-01: mediaUrl, no submitter, no discussionId
ERA_E_DAY = date(2026, 6, 1)  # after 2026-05-01: today's shape


def test_same_seed_and_day_give_the_same_bytes_whatever_else_is_generated():
    alone = DayGenerator(5, seed=11).day_bytes(ERA_E_DAY)
    after_other_days = DayGenerator(5, seed=11)
    after_other_days.day_bytes(ERA_A_DAY)
    assert after_other_days.day_bytes(ERA_E_DAY) == alone
    assert DayGenerator(5, seed=12).day_bytes(ERA_E_DAY) != alone


def test_items_follow_the_api_order_and_the_era_shapes():
    generator = DayGenerator(20, seed=3)
    old, new = generator.items(ERA_A_DAY), generator.items(ERA_E_DAY)
    assert len(old) == len(new) == 20
    upvotes = [item["paper"]["upvotes"] for item in new]
    assert upvotes == sorted(upvotes, reverse=True)
    assert all("mediaUrl" in i and "submittedBy" not in i and "discussionId" not in i["paper"] for i in old)
    assert all("thumbnail" in i and "submittedOnDailyAt" in i["paper"] for i in new)
    # Era E truncates both paper times to midnight (SCHEMA.md).
    assert all(i["paper"]["publishedAt"].endswith("T00:00:00.000Z") for i in new)
    ids = [i["paper"]["id"] for i in old + new]
    assert len(set(ids)) == len(ids)


def test_current_mode_gives_todays_shape_for_every_date():
    assert era_for(ERA_A_DAY, "current").name == "E"
    assert era_for(ERA_A_DAY, "by_date").name == "A"


def test_fixture_author_lists_of_50_or_more_are_left_to_the_stated_tail():
    stats = load_fixture_stats()
    # The fixtures hold 46 papers; three have 71, 313 and 358 authors (2025-01-22, 2025-12-25).
    assert len(stats.author_counts) == 46 - 3
    assert max(stats.author_counts) < 50


def test_a_year_has_rare_huge_author_lists():
    generator = DayGenerator(50, seed=5)
    counts = [len(i["paper"]["authors"]) for d in day_range(date(2026, 1, 31), 30) for i in generator.items(d)]
    assert max(counts) >= 250
    assert sorted(counts)[len(counts) // 2] < 20  # yet the median list is short


def test_generated_days_load_through_the_transforms_without_quarantine(tmp_path):
    days = [ERA_A_DAY, date(2025, 1, 22), date(2025, 12, 25), ERA_E_DAY]  # eras A, C, D, E
    written = write_days(tmp_path, days, DayGenerator(8, seed=9))
    assert written.papers == 32
    for day in days:
        body = (tmp_path / f"daily_papers_{day.isoformat()}.json").read_bytes()
        tables = build_listing_tables([body], day, datetime(2026, 1, 1, tzinfo=UTC))
        assert tables.quarantined.height == 0
        assert tables.papers.height == 8
        assert tables.paper_authors.height == sum(len(i["paper"]["authors"]) for i in json.loads(body))
