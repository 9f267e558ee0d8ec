"""find_authors gives the rows and order of its previous definition (OLD_FIND_AUTHORS below, the
macro before its matches were read once), on authors with shared name parts, accents, claimed
usernames, ties in name length and in paper counts, and an author without papers."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from tests.warehouse.conftest import HandMadeWarehouse, paper

OLD_FIND_AUTHORS = """
CREATE OR REPLACE TEMP MACRO old_find_authors(needle, top_n) AS TABLE
WITH words AS (
    SELECT list_filter(string_split(lower(strip_accents(trim(needle))), ' '), lambda w: w <> '') AS ws,
           lower(strip_accents(trim(needle))) AS whole
),
folded AS (
    SELECT author_key, author_id, name, hf_username,
           coalesce(name_folded, lower(strip_accents(name))) AS name_folded
    FROM authors
),
matches AS MATERIALIZED (
    SELECT a.author_key, a.author_id, a.name, a.hf_username,
           a.name_folded = w.whole OR lower(a.hf_username) = w.whole AS exact
    FROM folded AS a, words AS w
    WHERE len(w.ws) > 0
      -- the first word alone first: a plain column filter, so the lambda runs on its matches only
      AND ((contains(a.name_folded, w.ws[1]) AND len(list_filter(w.ws, lambda x: NOT contains(a.name_folded, x))) = 0)
           OR lower(a.hf_username) = w.whole)
    ORDER BY exact DESC, length(a.name), a.author_id
    LIMIT 1000
),
counts AS (
    SELECT author_key, count(*) AS papers, sum(upvotes) AS total_upvotes, max(listing_date) AS last_listing_date
    FROM author_papers
    WHERE author_key IN (SELECT author_key FROM matches)
    GROUP BY author_key
)
SELECT m.author_id, m.name, m.hf_username, coalesce(c.papers, 0) AS papers,
       coalesce(c.total_upvotes, 0) AS total_upvotes, c.last_listing_date
FROM matches AS m
LEFT JOIN counts AS c USING (author_key)
ORDER BY m.exact DESC, papers DESC, total_upvotes DESC, m.name, m.author_id
LIMIT top_n;
"""

FIRST = ["Wei", "Li", "Ana", "José", "Łukasz", "Yang", "Mei", "Oli"]
LAST = ["Zhang", "Li", "Yang", "Müller", "Lee", "Olivera", "Wei"]


@pytest.fixture(scope="module")
def authors_warehouse():
    """56 authors (every first x last name, some claimed on HF), 80 papers with 1-4 of them each,
    and one author on no paper."""
    pick = random.Random(11)
    warehouse = HandMadeWarehouse()
    names = [f"{first} {last}" for first in FIRST for last in LAST]
    authors = [
        {
            "author_id": f"au-{i:02d}",
            "name": name,
            "identity_key": f"name:{name.lower()}",
            "hf_username": f"user{i}" if i % 5 == 0 else None,
        }
        for i, name in enumerate(names)
    ]
    authors.append({"author_id": "au-zz", "name": "Wei Zhang", "identity_key": "hf:weiz", "hf_username": "weiz"})
    warehouse.insert("authors", authors)
    papers, slots = [], []
    for i in range(80):
        day = date(2025, 2, 1) + timedelta(days=i % 9)
        papers.append(paper(f"2502.{i:05d}", day, upvotes=pick.choice([0, 2, 2, 9])))
        for position, author in enumerate(pick.sample(authors[:-1], pick.randint(1, 4)), start=1):
            slots.append(
                {
                    "paper_id": f"2502.{i:05d}",
                    "author_id": author["author_id"],
                    "position": position,
                    "name_as_listed": author["name"],
                    "listing_date": day,
                }
            )
    warehouse.insert("papers", papers)
    warehouse.insert("paper_authors", slots)
    warehouse.con.execute(OLD_FIND_AUTHORS)
    yield warehouse
    warehouse.con.close()


@pytest.mark.parametrize(
    "needle",
    ["li", "LI", "wei zhang", "ZHANG wei", "jose", "łukasz", "lukasz", "user10", "weiz", "ol", "Zhang Li", "", "  ", "qqq"],
)
@pytest.mark.parametrize("top_n", [1, 3, 25, 1000])
def test_the_same_rows_as_before(authors_warehouse, needle, top_n):
    new = authors_warehouse.con.execute("SELECT * FROM find_authors(?, ?)", [needle, top_n]).pl()
    old = authors_warehouse.con.execute("SELECT * FROM old_find_authors(?, ?)", [needle, top_n]).pl()
    assert new.schema == old.schema
    assert new.rows() == old.rows()


def test_the_comparison_sees_counts_and_ties(authors_warehouse):
    found = authors_warehouse.con.execute("SELECT * FROM find_authors('li', 1000)").pl()
    assert found.height > 20 and found["papers"].n_unique() > 3
    unlisted = authors_warehouse.con.execute("SELECT * FROM find_authors('zhang', 1000)").pl()
    assert unlisted.filter(unlisted["author_id"] == "au-zz")["papers"].to_list() == [0]  # on no paper
