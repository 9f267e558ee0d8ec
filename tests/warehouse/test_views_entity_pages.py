"""The entity-page macros (warehouse/views/065_entity_pages.sql) on a hand-made warehouse: figures
and months from aggregates, papers a page at a time, related organisations, and the people on an
entity's latest papers, every figure worked out by hand from the rows below."""

from __future__ import annotations

from datetime import date

import pytest

from tests.warehouse.conftest import paper

D1, D2, D3 = date(2025, 1, 10), date(2025, 1, 20), date(2025, 3, 5)

PAPERS = [
    paper("P1", D1, 10, organization="lab-x", submitted_by="sam"),
    paper("P2", D2, 30, organization="lab-x", submitted_by="sam"),
    paper("P3", D3, 20, organization="lab-y"),
    paper("P4", D3, 20),  # ties P3 on upvotes and day: the id orders them
]


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
    listed("P2", D2, "ann", 1),
    listed("P2", D2, "ben", 2),
    listed("P3", D3, "ann", 1),
    listed("P3", D3, "ann", 2),  # ann listed twice on P3: one paper
    listed("P3", D3, "cat", 3),
    listed("P4", D3, "ann", 1),
]
AUTHORS = [{"author_id": a, "name": a.title(), "identity_key": f"name:{a}"} for a in ("ann", "ben", "cat")]


@pytest.fixture
def warehouse(hand_warehouse):
    hand_warehouse.insert("papers", PAPERS)
    hand_warehouse.insert("authors", AUTHORS)
    hand_warehouse.insert("paper_authors", PAPER_AUTHORS)
    return hand_warehouse


def test_figures_and_months_of_an_author(warehouse):
    [figures] = warehouse.rows("SELECT * FROM entity_figures('authors', 'ann')")
    # P1..P4: 10 + 30 + 20 + 20, median of 10, 20, 20, 30
    assert figures == {
        "papers": 4,
        "upvotes": 80,
        "median_upvotes": 20.0,
        "first_listing_date": D1,
        "last_listing_date": D3,
    }
    months = warehouse.rows("SELECT * FROM entity_months('authors', 'ann')")
    # no paper in February: the macro leaves it out (the page fills it in)
    assert months == [
        {"month": date(2025, 1, 1), "papers": 2, "upvotes": 40},
        {"month": date(2025, 3, 1), "papers": 2, "upvotes": 40},
    ]


def test_figures_of_an_entity_without_papers(warehouse):
    [figures] = warehouse.rows("SELECT * FROM entity_figures('organizations', 'nobody')")
    assert figures["papers"] == 0 and figures["upvotes"] == 0 and figures["first_listing_date"] is None


@pytest.mark.parametrize(
    ("kind", "key", "top_n", "skip", "expected"),
    [
        ("authors", "ann", 2, 0, ["P2", "P3"]),  # 30, then the 20s by id
        ("authors", "ann", 2, 2, ["P4", "P1"]),
        ("authors", "ann", 2, 4, []),  # past the end
        ("organizations", "lab-x", 50, 0, ["P2", "P1"]),
        ("submitters", "sam", 1, 1, ["P1"]),
    ],
)
def test_papers_ranked_give_one_page_in_the_order_of_every_paper(warehouse, kind, key, top_n, skip, expected):
    page = warehouse.rows("SELECT * FROM entity_papers_ranked(?, ?, ?, ?)", [kind, key, top_n, skip])
    assert [r["paper_id"] for r in page] == expected
    every = {
        "authors": "author_papers_of('ann')",
        "organizations": "organization_papers_of('lab-x')",
        "submitters": "submitter_papers_of('sam')",
    }[kind]
    # the same columns as the macros that give every paper, and the same rows for those ids
    whole = {r["paper_id"]: r for r in warehouse.rows(f"SELECT * FROM {every}")}
    assert page == [whole[r["paper_id"]] for r in page]


def test_papers_by_organisation_and_by_submitter(warehouse):
    orgs = warehouse.rows("SELECT * FROM entity_papers_by('authors', 'ann', 'organization', NULL)")
    # P4 has no organisation: left out
    assert [(r["value"], r["papers"], r["upvotes"], r["last_listing_date"]) for r in orgs] == [
        ("lab-x", 2, 40, D2),
        ("lab-y", 1, 20, D3),
    ]
    subs = warehouse.rows("SELECT * FROM entity_papers_by('organizations', 'lab-x', 'submitted_by', 1)")
    assert [(r["value"], r["papers"]) for r in subs] == [("sam", 2)]


def test_people_on_all_papers_match_people_of(warehouse):
    people = warehouse.rows("SELECT * FROM people_on_latest('authors', 'ann', NULL, 10, 0)")
    # ben on P1 and P2, cat on P3; ann herself left out
    assert [(r["author_id"], r["papers"], r["upvotes"], r["people"]) for r in people] == [
        ("ben", 2, 40, 2),
        ("cat", 1, 20, 2),
    ]
    same = warehouse.rows("SELECT * FROM people_of('authors', 'ann', NULL)")
    assert [{k: v for k, v in r.items() if k != "people"} for r in people] == same


def test_people_on_the_latest_papers_and_a_later_page(warehouse):
    # the two latest papers of ann are P4 and P3 (listed D3): only cat is on them
    latest = warehouse.rows("SELECT author_id, papers, people FROM people_on_latest('authors', 'ann', 2, 10, 0)")
    assert latest == [{"author_id": "cat", "papers": 1, "people": 1}]
    second = warehouse.rows("SELECT author_id, people FROM people_on_latest('authors', 'ann', NULL, 1, 1)")
    assert second == [{"author_id": "cat", "people": 2}]
    # an organisation's people include everyone on its papers
    lab = warehouse.rows("SELECT author_id, papers FROM people_on_latest('organizations', 'lab-x', 500, 10, 0)")
    assert lab == [{"author_id": "ann", "papers": 2}, {"author_id": "ben", "papers": 2}]
