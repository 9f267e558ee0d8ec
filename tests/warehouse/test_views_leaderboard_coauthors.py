"""author_leaderboard's co_authors: the one-paper shortcut and the union over several papers."""

from __future__ import annotations

from datetime import date

from tests.warehouse.conftest import paper

D1, D2, D3 = date(2024, 3, 4), date(2024, 3, 5), date(2024, 3, 6)

PAPERS = [paper("P1", D1, 5), paper("P2", D2, 4), paper("P3", D3, 1)]


def listed(paper_id, listing_date, author_id, position):
    return {
        "paper_id": paper_id,
        "listing_date": listing_date,
        "author_id": author_id,
        "position": position,
        "name_as_listed": author_id,
    }


PAPER_AUTHORS = [
    listed("P1", D1, "ann", 1),
    listed("P1", D1, "ben", 2),
    listed("P1", D1, "cat", 3),
    listed("P2", D2, "ann", 1),
    listed("P2", D2, "ben", 2),  # ben again with ann: counted once for ann
    listed("P2", D2, "dan", 3),
    listed("P2", D2, "dan", 4),  # dan listed twice: still one co-author
    listed("P3", D3, "eve", 1),  # alone on P3 (outside D1..D2)
    listed("P3", D3, "ann", 2),
]


AUTHORS = [{"author_id": a, "name": a.title(), "identity_key": f"name:{a}"} for a in ("ann", "ben", "cat", "dan", "eve")]


def co_authors(warehouse, start, end) -> dict[str, int]:
    rows = warehouse.rows("SELECT author_id, co_authors FROM author_leaderboard(?, ?)", [start, end])
    return {row["author_id"]: row["co_authors"] for row in rows}


def test_co_authors_union_over_papers_counts_each_person_once(hand_warehouse):
    hand_warehouse.insert("papers", PAPERS)
    hand_warehouse.insert("paper_authors", PAPER_AUTHORS)
    hand_warehouse.insert("authors", AUTHORS)
    # ann: {ben, cat} on P1 and {ben, dan} on P2 -> ben, cat, dan. ben likewise: ann, cat, dan.
    # cat (P1 only): ann, ben. dan (P2 only, listed twice): ann, ben.
    assert co_authors(hand_warehouse, D1, D2) == {"ann": 3, "ben": 3, "cat": 2, "dan": 2}


def test_co_authors_follow_the_range(hand_warehouse):
    hand_warehouse.insert("papers", PAPERS)
    hand_warehouse.insert("paper_authors", PAPER_AUTHORS)
    hand_warehouse.insert("authors", AUTHORS)
    # Only P2 and P3: ann has ben, dan (P2) and eve (P3); eve only ann.
    assert co_authors(hand_warehouse, D2, D3) == {"ann": 3, "ben": 2, "dan": 2, "eve": 1}


def test_the_top_n_variant_gives_the_first_n_rows_of_the_full_board(hand_warehouse):
    hand_warehouse.insert("papers", PAPERS)
    hand_warehouse.insert("paper_authors", PAPER_AUTHORS)
    hand_warehouse.insert("authors", AUTHORS)
    full = hand_warehouse.rows("SELECT * FROM author_leaderboard(?, ?)", [D1, D3])
    assert len(full) == 5
    for n in (1, 2, 4, 5, 9):
        top = hand_warehouse.rows("SELECT * FROM author_leaderboard_top(?, ?, ?)", [D1, D3, n])
        assert top == full[:n]


def test_co_authors_of_chosen_authors_match_the_leaderboard_and_skip_authors_without_papers(hand_warehouse):
    hand_warehouse.insert("papers", PAPERS)
    hand_warehouse.insert("paper_authors", PAPER_AUTHORS)
    hand_warehouse.insert("authors", AUTHORS)
    rows = hand_warehouse.rows("SELECT author_id, co_authors FROM author_co_authors(?, ?, ['dan', 'ann', 'nobody'])", [D1, D2])
    assert {row["author_id"]: row["co_authors"] for row in rows} == {"ann": 3, "dan": 2}


def test_the_ranking_is_the_leaderboard_without_co_authors(hand_warehouse):
    hand_warehouse.insert("papers", PAPERS)
    hand_warehouse.insert("paper_authors", PAPER_AUTHORS)
    hand_warehouse.insert("authors", AUTHORS)
    board = hand_warehouse.rows("SELECT * EXCLUDE (co_authors) FROM author_leaderboard(?, ?)", [D1, D3])
    assert hand_warehouse.rows("SELECT * FROM author_ranking_top(?, ?, NULL)", [D1, D3]) == board
    assert hand_warehouse.rows("SELECT * FROM author_ranking_top(?, ?, 2)", [D1, D3]) == board[:2]
