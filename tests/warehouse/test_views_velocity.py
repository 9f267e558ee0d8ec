"""paper_velocity and rising_papers on hand-made vote observations."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.warehouse.conftest import paper

DAY1 = date(2024, 5, 27)  # listing start 2024-05-27 00:00
DAY2 = date(2024, 5, 28)
AS_OF = datetime(2024, 5, 28, 6, 0)  # the newest observation in the warehouse


def vote(paper_id: str, listing_date: date, observed_at: datetime, upvotes: int) -> dict:
    return {"paper_id": paper_id, "listing_date": listing_date, "observed_at": observed_at, "upvotes": upvotes}


VOTES = [
    # P1: four observations; the 05:00 one falls just outside a 1-day rising window.
    vote("P1", DAY1, datetime(2024, 5, 27, 5, 0), 2),
    vote("P1", DAY1, datetime(2024, 5, 27, 6, 0), 4),  # exactly on the 1-day window's edge: inside
    vote("P1", DAY1, datetime(2024, 5, 27, 12, 0), 10),  # reaches 50 % of 20 exactly (10 >= 10)
    vote("P1", DAY1, AS_OF, 20),  # latest count 20; 90 % = 18 crossed here
    # P2: a historical backfill, seen once: no rate, no crossing times.
    vote("P2", DAY1, AS_OF, 50),
    # P3: already at its latest count on the first observation: crossing time unknown.
    vote("P3", DAY1, datetime(2024, 5, 27, 6, 0), 8),
    vote("P3", DAY1, datetime(2024, 5, 27, 18, 0), 8),
    # P4: never got a vote: 50 % of 0 means nothing.
    vote("P4", DAY1, datetime(2024, 5, 27, 6, 0), 0),
    vote("P4", DAY1, datetime(2024, 5, 27, 18, 0), 0),
    # P5: a day younger, fast.
    vote("P5", DAY2, datetime(2024, 5, 28, 2, 0), 2),
    vote("P5", DAY2, AS_OF, 6),
]


@pytest.fixture
def warehouse(hand_warehouse):
    hand_warehouse.insert(
        "papers",
        [
            paper("P1", DAY1, 20),
            paper("P2", DAY1, 50),
            paper("P3", DAY1, 8),
            paper("P4", DAY1, 0),
            paper("P5", DAY2, 6),
        ],
    )
    hand_warehouse.insert("votes", VOTES)
    return hand_warehouse


def velocity(warehouse, paper_id: str) -> dict:
    return warehouse.rows("SELECT * FROM paper_velocity WHERE paper_id = ?", [paper_id])[0]


def test_velocity_of_a_paper_observed_four_times(warehouse):
    row = velocity(warehouse, "P1")
    assert row["observations"] == 4
    assert row["first_observed_at"] == datetime(2024, 5, 27, 5, 0)
    assert row["last_observed_at"] == AS_OF
    assert row["latest_upvotes"] == 20
    # (20 - 2) upvotes over 25 hours = 18 / (25 / 24) per day
    assert row["upvotes_per_day"] == pytest.approx(18 / (25 / 24))
    # 50 %: 10 first reached at 12:00, 4 at 06:00 before it -> 6 h + (10 - 4) / (10 - 4) * 6 h
    assert row["hours_to_50pct"] == pytest.approx(12.0)
    # 90 %: 18 between 10 (12:00) and 20 (next day 06:00, 18 h later) -> 12 h + 8 / 10 * 18 h
    assert row["hours_to_90pct"] == pytest.approx(12 + 0.8 * 18)
    # age: from 2024-05-27 00:00 to the as-of time 2024-05-28 06:00 = 30 h
    assert row["age_hours"] == pytest.approx(30.0)
    assert row["hotness"] == pytest.approx(20 / (30 + 2) ** 1.5)


def test_a_paper_seen_once_has_no_velocity(warehouse):
    row = velocity(warehouse, "P2")
    assert row["observations"] == 1
    assert row["latest_upvotes"] == 50
    assert row["upvotes_per_day"] is None
    assert row["hours_to_50pct"] is None and row["hours_to_90pct"] is None
    assert row["hotness"] == pytest.approx(50 / (30 + 2) ** 1.5)  # plain count still ranks


def test_crossing_times_are_unknown_when_the_first_observation_is_past_them(warehouse):
    row = velocity(warehouse, "P3")
    assert row["upvotes_per_day"] == 0.0  # 8 -> 8
    assert row["hours_to_50pct"] is None and row["hours_to_90pct"] is None


def test_crossing_times_are_unknown_for_a_paper_without_votes(warehouse):
    row = velocity(warehouse, "P4")
    assert row["upvotes_per_day"] == 0.0
    assert row["hours_to_50pct"] is None and row["hours_to_90pct"] is None
    assert row["hotness"] == 0.0


def test_age_counts_from_the_papers_own_listing_day(warehouse):
    row = velocity(warehouse, "P5")
    # listed 2024-05-28 00:00, as of 06:00 the same day
    assert row["age_hours"] == pytest.approx(6.0)
    assert row["hotness"] == pytest.approx(6 / (6 + 2) ** 1.5)
    assert row["upvotes_per_day"] == pytest.approx((6 - 2) / (4 / 24))


def test_rising_papers_ranks_by_gain_per_day_inside_the_window(warehouse):
    rows = warehouse.rows("SELECT rank, paper_id, window_observations, upvotes_gained, upvotes_per_day FROM rising_papers(1)")
    assert rows == [
        # P5: +4 in 4 h = 24 per day
        {"rank": 1, "paper_id": "P5", "window_observations": 2, "upvotes_gained": 4, "upvotes_per_day": pytest.approx(24.0)},
        # P1: the 05:00 observation is outside (as-of minus 1 day = 06:00): +16 (4 -> 20) in 1 day
        {"rank": 2, "paper_id": "P1", "window_observations": 3, "upvotes_gained": 16, "upvotes_per_day": pytest.approx(16.0)},
        # P3 and P4 tie at 0 gained: paper_id decides. P2 (one observation) is absent.
        {"rank": 3, "paper_id": "P3", "window_observations": 2, "upvotes_gained": 0, "upvotes_per_day": 0.0},
        {"rank": 4, "paper_id": "P4", "window_observations": 2, "upvotes_gained": 0, "upvotes_per_day": 0.0},
    ]


def test_the_window_decides_which_observations_count(warehouse):
    # A 0-day window holds only the observations made at the as-of instant: one per paper at
    # most, so no paper has a rate.
    rows = warehouse.rows("SELECT paper_id FROM rising_papers(0)")
    assert rows == []
    # A 2-day window reaches back to 2024-05-26 06:00 and holds all four of P1's observations.
    rows = warehouse.rows("SELECT paper_id, upvotes_gained FROM rising_papers(2)")
    assert {r["paper_id"] for r in rows} == {"P1", "P3", "P4", "P5"}
    assert [r["upvotes_gained"] for r in rows if r["paper_id"] == "P1"] == [18]  # all 4 observations


def test_velocity_of_some_papers_equals_the_views_rows_for_them(warehouse):
    every = warehouse.rows("SELECT * FROM paper_velocity ORDER BY paper_id")
    assert len(every) >= 3
    wanted = [every[0]["paper_id"], every[-1]["paper_id"], "no-such-paper"]
    some = warehouse.rows("SELECT * FROM paper_velocity_of(?) ORDER BY paper_id", [wanted])
    assert some == [row for row in every if row["paper_id"] in wanted]
    # an id given twice, or a NULL among the ids, adds no row; every paper's row by itself too
    again = warehouse.rows("SELECT * FROM paper_velocity_of(?) ORDER BY paper_id", [[*wanted, wanted[0], None]])
    assert again == some
    alone = [warehouse.rows("SELECT * FROM paper_velocity_of(?)", [[row["paper_id"]]]) for row in every]
    assert alone == [[row] for row in every]
    assert warehouse.rows("SELECT * FROM paper_velocity_of([])") == []


def test_rising_papers_hotness_and_latest_upvotes_agree_with_paper_velocity(warehouse):
    rising = warehouse.rows("SELECT paper_id, latest_upvotes, hotness FROM rising_papers(30)")
    assert rising
    velocity = {r["paper_id"]: r for r in warehouse.rows("SELECT * FROM paper_velocity")}
    for row in rising:
        assert row["latest_upvotes"] == velocity[row["paper_id"]]["latest_upvotes"]
        assert row["hotness"] == pytest.approx(velocity[row["paper_id"]]["hotness"])
