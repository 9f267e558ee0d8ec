"""The digest of a hand-made week: every section against figures worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from digest.queries import read_week
from digest.shape import shape_week
from digest.weeks import Week
from tests.digest.hand_week import WEEK, hand_week_warehouse


@pytest.fixture(scope="module")
def warehouse():
    made = hand_week_warehouse()
    yield made
    made.con.close()


@pytest.fixture(scope="module")
def digest(warehouse):
    return shape_week(read_week(warehouse.con, Week(WEEK)))


def test_papers_follow_the_warehouse_ranking(digest, warehouse):
    ranking = warehouse.rows("SELECT paper_id FROM paper_cards_between(?, ?)", [WEEK, WEEK + timedelta(days=6)])
    assert [p.paper_id for p in digest.papers] == [row["paper_id"] for row in ranking]
    assert [p.paper_id for p in digest.papers] == ["a2", "a1", "a4", "a3"]  # by hand: 50 (newer), 50, 20, 7
    assert [p.rank for p in digest.papers] == [1, 2, 3, 4]


def test_a_paper_carries_its_link_organisation_authors_and_github(digest):
    a1 = next(p for p in digest.papers if p.paper_id == "a1")
    assert a1.url == "https://huggingface.co/papers/a1"
    assert a1.organization == "Org A"  # the display name where the warehouse knows it
    assert a1.authors == "Ann, Bob, Cy et al."  # 4 authors: the first three
    assert a1.github_url == "https://github.com/x/a1"
    a4 = next(p for p in digest.papers if p.paper_id == "a4")
    assert (a4.organization, a4.authors, a4.github_url) == ("org-b", "Bob", None)  # the slug when it does not


def test_figures_compare_with_the_week_before(digest):
    f = digest.figures
    assert (f.papers, f.upvotes, f.previous_papers, f.previous_upvotes) == (4, 127, 1, 10)
    assert f.against_previous == "papers +300 %, upvotes +1170 % against the week before (1 paper, 10 upvotes)"


def test_papers_per_day_cover_monday_to_sunday(digest):
    assert digest.papers_per_day == [(WEEK + timedelta(days=n), count) for n, count in enumerate([1, 0, 2, 0, 0, 0, 1])]


def test_risers_come_from_the_vote_history(digest):
    # a4: +20 in one day; a3: +6 in two days; a1 was observed once and has no rate
    assert [(r.paper_id, r.upvotes_per_day) for r in digest.risers] == [("a4", 20.0), ("a3", 3.0)]


def test_rising_keywords_carry_their_z_score(digest):
    # agents: 3 papers against 0 in the one week before with keywords (std floored at 1): z = 3;
    # diffusion: 1 against 1, z = 0, not rising
    assert [(k["keyword"], k["papers"], k["z_score"]) for k in digest.keywords] == [("agents", 3, 3.0)]


def test_top_authors_and_organisations(digest):
    assert [(a["name"], a["papers"], a["total_upvotes"]) for a in digest.authors] == [
        ("Ann", 2, 100),
        ("Bob", 2, 70),
        ("Cy", 1, 50),
        ("Dee", 1, 50),
    ]
    assert [(o["name"], o["total_upvotes"]) for o in digest.organizations] == [("Org A", 50), ("org-b", 20)]


def test_a_week_without_papers_is_an_empty_digest(warehouse):
    empty = shape_week(read_week(warehouse.con, Week(date(2023, 12, 18))))
    assert empty.is_empty
    assert empty.papers_per_day == [(date(2023, 12, 18) + timedelta(days=n), 0) for n in range(7)]
    assert (empty.warehouse_first_day, empty.warehouse_last_day) == (date(2024, 1, 3), date(2024, 1, 15))
