"""author_leaderboard, organization_leaderboard and submitter_leaderboard for date ranges."""

from __future__ import annotations

from datetime import date

import pytest

from tests.warehouse.conftest import paper

D27, D28, JUN10 = date(2024, 5, 27), date(2024, 5, 28), date(2024, 6, 10)

PAPERS = [
    paper("X", D27, 10, organization="nvidia", submitted_by="akhaliq"),
    paper("Y", D28, 3, organization="nvidia", submitted_by="akhaliq"),
    paper("W", D28, 3),  # no org, no submitter (oldest era): only in author boards
    paper("Z", JUN10, 7, organization="meta", submitted_by="taesiri"),  # outside the May range
]


def listed(paper_id, listing_date, author_id, position, name):
    return {
        "paper_id": paper_id,
        "listing_date": listing_date,
        "author_id": author_id,
        "position": position,
        "name_as_listed": name,
    }


PAPER_AUTHORS = [
    listed("X", D27, "alice", 1, "Alice Smith"),
    listed("X", D27, "bob", 2, "Bob Jones"),
    listed("X", D27, "bob", 3, "Bob  Jones."),  # near-duplicate listing: X counts once for bob
    listed("Y", D28, "alice", 1, "Alice Smith"),
    listed("Y", D28, "carol", 2, "Carol"),
    listed("W", D28, "dave", 1, "Dave"),  # ties carol: 1 paper, 3 upvotes -> author_id order
    listed("Z", JUN10, "alice", 1, "Alice Smith"),
]

AUTHORS = [
    {"author_id": "alice", "name": "Alice Smith", "hf_username": "alice", "identity_key": "hf:alice"},
    {"author_id": "bob", "name": "Bob Jones", "hf_username": None, "identity_key": "name:bob jones"},
    {"author_id": "carol", "name": "Carol", "hf_username": None, "identity_key": "name:carol"},
    {"author_id": "dave", "name": "Dave", "hf_username": None, "identity_key": "name:dave"},
]


@pytest.fixture
def warehouse(hand_warehouse):
    hand_warehouse.insert("papers", PAPERS)
    hand_warehouse.insert("paper_authors", PAPER_AUTHORS)
    hand_warehouse.insert("authors", AUTHORS)
    hand_warehouse.insert("organizations", [{"organization": "nvidia", "fullname": "NVIDIA"}])
    hand_warehouse.insert("submitters", [{"username": "akhaliq", "fullname": "AK", "is_hf_staff": True}])
    return hand_warehouse


def test_author_leaderboard_for_may(warehouse):
    rows = warehouse.rows(
        "SELECT rank, author_id, name, papers, total_upvotes, median_upvotes, first_listing_date, "
        "last_listing_date, co_authors FROM author_leaderboard(?, ?)",
        [D27, D28],
    )
    assert rows == [
        # X + Y: 10 + 3, median (3 + 10) / 2; co-authors bob (X) and carol (Y)
        {
            "rank": 1,
            "author_id": "alice",
            "name": "Alice Smith",
            "papers": 2,
            "total_upvotes": 13,
            "median_upvotes": 6.5,
            "first_listing_date": D27,
            "last_listing_date": D28,
            "co_authors": 2,
        },
        # listed twice on X, yet one paper and 10 upvotes (not 20); alice is the only other author
        {
            "rank": 2,
            "author_id": "bob",
            "name": "Bob Jones",
            "papers": 1,
            "total_upvotes": 10,
            "median_upvotes": 10.0,
            "first_listing_date": D27,
            "last_listing_date": D27,
            "co_authors": 1,
        },
        {
            "rank": 3,
            "author_id": "carol",
            "name": "Carol",
            "papers": 1,
            "total_upvotes": 3,
            "median_upvotes": 3.0,
            "first_listing_date": D28,
            "last_listing_date": D28,
            "co_authors": 1,
        },
        # same totals as carol: the author_id breaks the tie; W has no co-author
        {
            "rank": 4,
            "author_id": "dave",
            "name": "Dave",
            "papers": 1,
            "total_upvotes": 3,
            "median_upvotes": 3.0,
            "first_listing_date": D28,
            "last_listing_date": D28,
            "co_authors": 0,
        },
    ]


def test_open_range_covers_every_day(warehouse):
    alice = warehouse.rows("SELECT * FROM author_leaderboard(NULL, NULL) WHERE author_id = 'alice'")[0]
    # X, Y, Z: 10 + 3 + 7; sorted 3, 7, 10 -> median 7
    assert (alice["papers"], alice["total_upvotes"], alice["median_upvotes"]) == (3, 20, 7.0)
    assert alice["last_listing_date"] == JUN10


def test_range_bounds_are_inclusive_and_accept_text(warehouse):
    rows = warehouse.rows("SELECT author_id, papers FROM author_leaderboard('2024-05-27', '2024-05-27')")
    assert rows == [{"author_id": "alice", "papers": 1}, {"author_id": "bob", "papers": 1}]


def test_organization_leaderboard(warehouse):
    rows = warehouse.rows("SELECT * FROM organization_leaderboard(NULL, NULL)")
    assert rows == [
        # X + Y; authors alice, bob, carol; one submitter (akhaliq)
        {
            "rank": 1,
            "organization": "nvidia",
            "fullname": "NVIDIA",
            "papers": 2,
            "total_upvotes": 13,
            "median_upvotes": 6.5,
            "first_listing_date": D27,
            "last_listing_date": D28,
            "authors": 3,
            "submitters": 1,
        },
        # no organizations row for meta: fullname stays NULL rather than dropping the org
        {
            "rank": 2,
            "organization": "meta",
            "fullname": None,
            "papers": 1,
            "total_upvotes": 7,
            "median_upvotes": 7.0,
            "first_listing_date": JUN10,
            "last_listing_date": JUN10,
            "authors": 1,
            "submitters": 1,
        },
    ]  # W has no organization and is not a row


def test_submitter_leaderboard(warehouse):
    rows = warehouse.rows("SELECT * FROM submitter_leaderboard(NULL, '2024-05-31')")
    assert rows == [
        # Z (June) is outside; W has no submitter
        {
            "rank": 1,
            "submitter": "akhaliq",
            "fullname": "AK",
            "is_hf_staff": True,
            "papers": 2,
            "total_upvotes": 13,
            "median_upvotes": 6.5,
            "first_listing_date": D27,
            "last_listing_date": D28,
            "organizations": 1,
            "authors": 3,
        },
    ]


def test_an_empty_range_gives_no_rows(warehouse):
    assert warehouse.rows("SELECT * FROM author_leaderboard('2025-01-01', '2025-12-31')") == []


def test_the_top_n_ranking_breaks_a_tie_at_its_last_row_by_author_id(warehouse):
    # carol and dave tie for 3rd (1 paper, 3 upvotes); the ranking groups integer keys, and
    # author_key('dave') < author_key('carol'), so the tie must be decided by author_id after it
    keys = dict(warehouse.con.execute("SELECT x, author_key(x) FROM (VALUES ('carol'), ('dave')) t(x)").fetchall())
    assert keys["dave"] < keys["carol"]
    rows = warehouse.rows("SELECT rank, author_id FROM author_ranking_top(?, ?, 3)", [D27, D28])
    assert rows == [{"rank": 1, "author_id": "alice"}, {"rank": 2, "author_id": "bob"}, {"rank": 3, "author_id": "carol"}]


def test_organisation_and_submitter_rankings_are_their_boards_without_authors(warehouse):
    for kind, rank_only in (("organization", "submitters"), ("submitter", "organizations")):
        board = warehouse.rows(f"SELECT * EXCLUDE (authors) FROM {kind}_leaderboard(NULL, NULL)")
        assert warehouse.rows(f"SELECT * FROM {kind}_ranking_top(NULL, NULL, NULL)") == board
        assert warehouse.rows(f"SELECT * FROM {kind}_ranking_top(NULL, NULL, 1)") == board[:1]
        assert len(board) >= 1 and rank_only in board[0]
