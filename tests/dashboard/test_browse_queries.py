"""The Browse, Trending and calendar queries on the seeded warehouse (tests/dashboard/seed.py),
against figures worked out by hand from its rows."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.browse_periods import containing, parse


def test_paper_cards_rank_a_period_by_upvotes_with_organisation_name_and_first_authors(repo):
    cards = repo.paper_cards(date(2025, 1, 6), date(2025, 1, 12))
    # Week of 6 Jan: 2501.00001 (50), 2501.00003 (30), 2501.00002 (10).
    assert cards["paper_id"].to_list() == ["2501.00001", "2501.00003", "2501.00002"]
    first = cards.row(0, named=True)
    assert first["organization_name"] == "DeepSeek"  # organizations.fullname of deepseek-ai
    assert [a["name"] for a in first["first_authors"]] == ["Ann Li", "Ben Lee"]  # listed order
    assert cards.row(2, named=True)["organization_name"] is None  # 2501.00002 has no organisation


@pytest.mark.parametrize("limit", [1, 2, 60])
def test_paper_cards_from_a_snapshot_without_paper_cards_top_are_the_same(repo, monkeypatch, limit):
    cards = repo.paper_cards(date(2024, 12, 1), date(2025, 1, 31), limit)
    assert cards.height == min(limit, 5)
    monkeypatch.setattr(type(repo), "missing_objects", lambda self, names: ["paper_cards_top"])
    assert repo.paper_cards(date(2024, 12, 1), date(2025, 1, 31), limit).equals(cards)


def test_adjacent_days_skip_days_without_papers(repo):
    # Listing days with papers: 2024-12-30, 2025-01-06, 2025-01-07, 2025-01-14.
    assert repo.adjacent_days(date(2025, 1, 7)) == (date(2025, 1, 6), date(2025, 1, 14))
    assert repo.adjacent_days(date(2025, 1, 10)) == (date(2025, 1, 7), date(2025, 1, 14))
    assert repo.adjacent_days(date(2024, 12, 30)) == (None, date(2025, 1, 6))
    assert repo.adjacent_days(date(2025, 1, 14)) == (date(2025, 1, 7), None)


def test_period_summary_counts_papers_upvotes_and_days(repo):
    assert repo.period_summary(date(2025, 1, 1), date(2025, 1, 31)) == {"papers": 4, "upvotes": 95, "days": 3}


def test_trending_is_hottest_first_with_gains_from_the_vote_history(repo):
    # As of the newest observation, 2025-01-14 08:00. 14 days up to 2025-01-14: all but 2412.00005.
    trending = repo.trending(n_days=14, gain_days=8)
    assert trending["paper_id"].to_list() == ["2501.00004", "2501.00001", "2501.00003", "2501.00002"]
    gained = dict(zip(trending["paper_id"], trending["upvotes_gained"], strict=True))
    # Since 2025-01-06 08:00: 2501.00001 went 10 -> 50; 2501.00002 was 10 then and still is;
    # 2501.00003 and 2501.00004 were listed later, so they had 0 then.
    assert gained == {"2501.00001": 40, "2501.00002": 0, "2501.00003": 30, "2501.00004": 5}
    # hotness = upvotes / (age in hours + 2) ^ 1.5; 2501.00004 is 8 h old.
    assert trending["hotness"][0] == pytest.approx(5 / 10**1.5)


@pytest.mark.parametrize("limit", [1, 3, 500])
def test_trending_from_a_snapshot_without_trending_papers_top_is_the_same(repo, monkeypatch, limit):
    trending = repo.trending(n_days=14, gain_days=8, limit=limit)
    assert trending.height == min(limit, 4)
    monkeypatch.setattr(type(repo), "missing_objects", lambda self, names: ["trending_papers_top"])
    assert repo.trending(n_days=14, gain_days=8, limit=limit).equals(trending)


def test_trending_over_one_day_counts_only_papers_listed_in_it(repo):
    assert repo.trending(n_days=1, gain_days=1)["paper_id"].to_list() == ["2501.00004"]


def test_load_calendar_marks_every_day_loaded_quarantined_or_missing(repo):
    days = repo.load_calendar()
    # 16 calendar days from 2024-12-30 to 2025-01-14; 2025-01-07 had one quarantined record.
    assert days.height == 16
    counts = dict(days.group_by("status").len().iter_rows())
    assert counts == {"loaded": 3, "quarantined": 1, "missing": 12}
    assert days.filter(days["status"] == "quarantined")["listing_date"].to_list() == [date(2025, 1, 7)]


@pytest.mark.parametrize(
    ("view", "key", "start", "end"),
    [
        ("day", "2025-01-07", date(2025, 1, 7), date(2025, 1, 7)),
        ("week", "2025-W01", date(2024, 12, 30), date(2025, 1, 5)),  # ISO week 1 starts in December
        ("month", "2024-02", date(2024, 2, 1), date(2024, 2, 29)),  # leap year
    ],
)
def test_a_period_reads_and_writes_its_url_key(view, key, start, end):
    period = parse(view, key)
    assert (period.start, period.end, period.key) == (start, end, key)


@pytest.mark.parametrize(
    ("view", "key"), [("week", "2025-W54"), ("month", "2025-13"), ("day", "14/01/2025"), ("week", "2025-01")]
)
def test_a_bad_url_key_is_no_period(view, key):
    assert parse(view, key) is None


def test_weeks_and_months_step_across_year_ends():
    assert containing("month", date(2024, 12, 5)).shifted(1).key == "2025-01"
    assert containing("month", date(2025, 1, 5)).shifted(-1).key == "2024-12"
    assert containing("week", date(2025, 1, 1)).shifted(-1).key == "2024-W52"
