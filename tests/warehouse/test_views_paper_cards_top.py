"""paper_cards_top(start, end, n) is paper_cards_between(start, end) cut to its first n rows."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from tests.warehouse.conftest import HandMadeWarehouse, paper, shuffled_author_slots

FIRST = date(2025, 3, 1)


@pytest.fixture(scope="module")
def cards_warehouse():
    """60 papers over 6 days with many upvote ties (same day and across days), 0-6 authors each
    listed in shuffled order, some with an organisation."""
    shuffle = random.Random(7)
    warehouse = HandMadeWarehouse()
    papers, slots = [], []
    for i in range(60):
        day = FIRST + timedelta(days=i % 6)
        paper_id = f"2503.{i:05d}"
        papers.append(paper(paper_id, day, upvotes=shuffle.choice([0, 3, 3, 7, 12]), organization=["org-a", None][i % 2]))
        slots += shuffled_author_slots(paper_id, day, i % 7, offset=i, authors=15, rng=shuffle)
    warehouse.insert("papers", papers)
    warehouse.insert(
        "authors", [{"author_id": f"au-{a}", "name": f"Author {a}", "identity_key": f"name:author {a}"} for a in range(15)]
    )
    warehouse.insert("organizations", [{"organization": "org-a", "fullname": "Org A"}])
    warehouse.insert("paper_authors", slots)
    yield warehouse
    warehouse.con.close()


@pytest.mark.parametrize(
    "first, last", [(FIRST, FIRST + timedelta(days=5)), (FIRST + timedelta(days=2), FIRST + timedelta(days=3))]
)
@pytest.mark.parametrize("n", [0, 1, 5, 17, 200, None])
def test_the_first_n_rows_of_paper_cards_between(cards_warehouse, first, last, n):
    every = cards_warehouse.rows("SELECT * FROM paper_cards_between(?, ?)", [first, last])
    assert len(every) >= 20 and any(row["first_authors"] and len(row["first_authors"]) == 3 for row in every)
    top = cards_warehouse.rows("SELECT * FROM paper_cards_top(?, ?, ?)", [first, last, n])
    assert top == every[:n]  # same columns, rows and order, ties included


def test_the_organisation_name_and_the_first_three_authors_in_listed_order(cards_warehouse):
    row = cards_warehouse.rows(
        "SELECT * FROM paper_cards_top(?, ?, 60) WHERE paper_id = '2503.00005'", [FIRST, FIRST + timedelta(days=5)]
    )[0]
    # paper 5 has authors at positions 1..5: au-(5+p) % 15
    assert [a["author_id"] for a in row["first_authors"]] == ["au-6", "au-7", "au-8"]
    assert row["organization_name"] is None and row["organization"] is None
