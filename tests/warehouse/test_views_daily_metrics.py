"""daily_metrics, weekly/monthly roll-ups and metrics_by_period on a hand-made warehouse."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.warehouse.conftest import paper

MON = date(2024, 5, 27)  # a Monday: weeks start here
TUE = date(2024, 5, 28)
SUN = date(2024, 6, 2)  # last day of MON's week, but already June
NEXT_MON = date(2024, 6, 3)

PAPERS = [
    # Four papers on one day give the median (even count) and p90 interpolation something to do.
    paper(
        "A",
        MON,
        10,
        github_repo="https://github.com/a/a",
        num_comments=1,
        organization="nvidia",
        published_at=datetime(2024, 5, 24, 9, 0),
    ),
    paper(
        "B",
        MON,
        20,
        project_page="https://b.example",
        num_comments=2,
        organization="nvidia",
        published_at=datetime(2024, 5, 24, 17, 0),
    ),  # same arXiv day as A
    paper(
        "C",
        MON,
        0,
        num_comments=0,  # zero upvotes still counts as a paper
        published_at=datetime(2024, 5, 26, 23, 59, 59),
    ),  # last second of a Sunday: arXiv week of 20 May
    paper(
        "D",
        MON,
        30,
        github_repo="https://github.com/d/d",
        project_page="https://d.example",
        num_comments=None,
        organization="meta",  # NULL comments are not counted as 0 or error
        published_at=None,
    ),  # no arXiv date: left out of the arxiv basis
    paper("E", TUE, 5, published_at=datetime(2024, 5, 20, 0, 0)),
    paper("F", SUN, 7, published_at=datetime(2024, 5, 31, 12, 0)),  # week boundary (Sunday)
    paper("G", NEXT_MON, 1, published_at=datetime(2024, 6, 1, 8, 0)),  # first day of the next week
]

PAPER_AUTHORS = [
    # a2 is on two papers of MON: one distinct author, not two.
    {"paper_id": "A", "author_id": "a1", "position": 1, "name_as_listed": "Ann", "listing_date": MON},
    {"paper_id": "A", "author_id": "a2", "position": 2, "name_as_listed": "Bo", "listing_date": MON},
    {"paper_id": "B", "author_id": "a2", "position": 1, "name_as_listed": "Bo", "listing_date": MON},
    {"paper_id": "C", "author_id": "a3", "position": 1, "name_as_listed": "Cy", "listing_date": MON},
    {"paper_id": "D", "author_id": "a1", "position": 1, "name_as_listed": "Ann", "listing_date": MON},
    {"paper_id": "E", "author_id": "a4", "position": 1, "name_as_listed": "Di", "listing_date": TUE},
    # F and G have no author rows: distinct_authors must be 0 for their days, not missing.
]


@pytest.fixture
def warehouse(hand_warehouse):
    hand_warehouse.insert("papers", PAPERS)
    hand_warehouse.insert("paper_authors", PAPER_AUTHORS)
    return hand_warehouse


def test_daily_metrics_for_a_day_with_four_papers(warehouse):
    row = warehouse.rows("SELECT * FROM daily_metrics WHERE listing_date = ?", [MON])[0]
    assert row["papers"] == 4
    assert row["total_upvotes"] == 10 + 20 + 0 + 30
    assert row["median_upvotes"] == (10 + 20) / 2  # sorted 0, 10, 20, 30
    # quantile_cont: position (4 - 1) * 0.9 = 2.7 between 20 and 30 -> 20 + 0.7 * 10
    assert row["p90_upvotes"] == pytest.approx(27.0)
    assert row["share_with_github"] == pytest.approx(2 / 4)  # A, D
    assert row["share_with_project_page"] == pytest.approx(2 / 4)  # B, D
    assert row["total_comments"] == 1 + 2 + 0  # D's NULL is skipped
    assert row["distinct_authors"] == 3  # a1, a2, a3
    assert row["distinct_organizations"] == 2  # nvidia, meta


def test_daily_metrics_has_one_row_per_day_with_papers(warehouse):
    rows = warehouse.rows("SELECT listing_date, papers, distinct_authors FROM daily_metrics ORDER BY 1")
    assert [(r["listing_date"], r["papers"], r["distinct_authors"]) for r in rows] == [
        (MON, 4, 3),
        (TUE, 1, 1),
        (SUN, 1, 0),
        (NEXT_MON, 1, 0),
    ]


def test_weekly_metrics_put_sunday_in_the_week_that_started_on_monday(warehouse):
    rows = warehouse.rows("SELECT week_start, papers, total_upvotes, median_upvotes FROM weekly_metrics ORDER BY 1")
    assert rows == [
        # A B C D E F: upvotes 0 5 7 10 20 30, median (7 + 10) / 2
        {"week_start": MON, "papers": 6, "total_upvotes": 72, "median_upvotes": 8.5},
        {"week_start": NEXT_MON, "papers": 1, "total_upvotes": 1, "median_upvotes": 1.0},
    ]


def test_monthly_metrics_split_the_week_at_the_month_end(warehouse):
    rows = warehouse.rows("SELECT month_start, papers, total_upvotes FROM monthly_metrics ORDER BY 1")
    assert rows == [
        {"month_start": date(2024, 5, 1), "papers": 5, "total_upvotes": 10 + 20 + 0 + 30 + 5},
        {"month_start": date(2024, 6, 1), "papers": 2, "total_upvotes": 7 + 1},
    ]


def test_arxiv_basis_groups_by_published_at_and_leaves_out_papers_without_it(warehouse):
    days = warehouse.rows("SELECT period_start, papers, total_upvotes FROM metrics_by_period('day', 'arxiv')")
    assert days[0] == {"period_start": date(2024, 5, 20), "papers": 1, "total_upvotes": 5}  # E
    assert {"period_start": date(2024, 5, 24), "papers": 2, "total_upvotes": 30} in days  # A + B
    weeks = warehouse.rows("SELECT period_start, papers, total_upvotes FROM metrics_by_period('week', 'arxiv')")
    assert weeks == [
        {"period_start": date(2024, 5, 20), "papers": 4, "total_upvotes": 10 + 20 + 0 + 5},  # A B C E
        {"period_start": date(2024, 5, 27), "papers": 2, "total_upvotes": 7 + 1},  # F G
    ]  # D (no published_at) is in neither week


@pytest.mark.parametrize(
    ("grain", "basis", "message"),
    [
        ("year", "listing", "grain must be day, week or month, got year"),
        ("day", "submitted", "date_basis must be listing or arxiv, got submitted"),
    ],
)
def test_metrics_by_period_rejects_unknown_arguments(warehouse, grain, basis, message):
    with pytest.raises(Exception, match=message):
        warehouse.rows("SELECT * FROM metrics_by_period(?, ?)", [grain, basis])
