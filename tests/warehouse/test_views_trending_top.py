"""trending_papers_top(n, gain, k) is trending_papers(n, gain) cut to its first k rows, and
trending_papers gives the rows of its previous definition (OLD_TRENDING_PAPERS below, before it was
defined through trending_papers_top), on papers with tied hotness and upvotes, vote histories
older and newer than the gain window, and authors in shuffled order."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest

from tests.warehouse.conftest import HandMadeWarehouse, paper, shuffled_author_slots

OLD_TRENDING_PAPERS = """
CREATE OR REPLACE TEMP MACRO old_trending_papers(n_days, gain_days) AS TABLE
WITH bounds AS (
    SELECT (SELECT max(listing_date) FROM papers) - (CAST(n_days AS INTEGER) - 1) AS first_day,
           a.as_of,
           a.as_of - to_days(CAST(gain_days AS INTEGER)) AS since
    FROM votes_as_of AS a
),
recent AS (
    SELECT p.* FROM papers AS p, bounds AS b WHERE p.listing_date >= b.first_day
),
history AS (
    SELECT v.paper_id,
           arg_max(v.upvotes, v.observed_at) FILTER (WHERE v.observed_at <= b.since) AS upvotes_at_start,
           count(*) FILTER (WHERE v.observed_at > b.since) AS observations
    FROM votes AS v, bounds AS b
    WHERE v.listing_date >= b.first_day
    GROUP BY v.paper_id
),
first_authors AS (
    SELECT pa.paper_id,
           list({'author_id': pa.author_id, 'name': a.name} ORDER BY pa.position)[1:3] AS first_authors
    FROM paper_authors AS pa, bounds AS b, authors AS a
    WHERE a.author_id = pa.author_id AND pa.listing_date >= b.first_day AND pa.position <= 3
    GROUP BY pa.paper_id
)
SELECT
    row_number() OVER (ORDER BY hotness(p.upvotes, p.listing_date, b.as_of) DESC NULLS LAST,
                                p.upvotes DESC, p.paper_id) AS rank,
    p.paper_id, p.title, p.summary, p.listing_date, p.upvotes, p.num_comments, p.author_count,
    p.organization, o.fullname AS organization_name, p.submitted_by, p.github_repo, p.github_stars,
    p.project_page, p.thumbnail, p.ai_keywords, fa.first_authors,
    hotness(p.upvotes, p.listing_date, b.as_of) AS hotness,
    p.upvotes - coalesce(h.upvotes_at_start,
                         CASE WHEN CAST(p.listing_date AS TIMESTAMP) > b.since THEN 0 END) AS upvotes_gained,
    coalesce(h.observations, 0) AS observations
FROM recent AS p
CROSS JOIN bounds AS b
LEFT JOIN history AS h USING (paper_id)
LEFT JOIN first_authors AS fa USING (paper_id)
LEFT JOIN organizations AS o USING (organization)
ORDER BY rank;

"""

NEWEST = date(2025, 4, 10)


@pytest.fixture(scope="module")
def trending_warehouse():
    """70 papers over 10 days (upvotes drawn from a few values: many ties), 0-3 vote observations
    each over the last days, 0-5 authors each."""
    pick = random.Random(5)
    warehouse = HandMadeWarehouse()
    papers, votes, slots = [], [], []
    for i in range(70):
        day = NEWEST - timedelta(days=i % 10)
        paper_id = f"2504.{i:05d}"
        upvotes = pick.choice([0, 4, 4, 10, 25])
        papers.append(paper(paper_id, day, upvotes=upvotes, organization=["org-a", None, "org-b"][i % 3]))
        for hours in sorted(pick.sample(range(6, 96, 6), pick.randint(0, 3))):
            seen = datetime.combine(NEWEST, datetime.min.time()) + timedelta(hours=12) - timedelta(hours=hours)
            votes.append(
                {"paper_id": paper_id, "observed_at": seen, "upvotes": max(upvotes - hours // 12, 0), "listing_date": day}
            )
        slots += shuffled_author_slots(paper_id, day, i % 6, offset=i, authors=9, rng=pick)
    warehouse.insert("papers", papers)
    warehouse.insert("votes", votes)
    warehouse.insert("authors", [{"author_id": f"au-{a}", "name": f"Author {a}", "identity_key": f"name:a{a}"} for a in range(9)])
    warehouse.insert("organizations", [{"organization": "org-a", "fullname": "Org A"}])
    warehouse.insert("paper_authors", slots)
    warehouse.con.execute(OLD_TRENDING_PAPERS)
    yield warehouse
    warehouse.con.close()


@pytest.mark.parametrize(("n_days", "gain_days"), [(7, 1), (10, 2), (1, 1), (3, 30)])
def test_the_same_rows_as_the_previous_definition(trending_warehouse, n_days, gain_days):
    con = trending_warehouse.con
    new = con.execute("SELECT * FROM trending_papers(?, ?)", [n_days, gain_days]).pl()
    old = con.execute("SELECT * FROM old_trending_papers(?, ?)", [n_days, gain_days]).pl()
    assert new.schema == old.schema and new.rows() == old.rows()


@pytest.mark.parametrize("top_n", [0, 1, 9, 40, 500, None])
def test_the_first_rows_of_trending_papers(trending_warehouse, top_n):
    con = trending_warehouse.con
    every = con.execute("SELECT * FROM trending_papers(7, 1)").pl()
    assert every.height >= 40 and every["upvotes_gained"].null_count() < every.height
    assert every.select("hotness", "upvotes").is_duplicated().any()  # ties on both: paper_id decides
    top = con.execute("SELECT * FROM trending_papers_top(7, 1, ?)", [top_n]).pl()
    assert top.rows() == every.head(every.height if top_n is None else top_n).rows()
