"""An entity page from one scan of its papers' keys.

Finding an author's rows scans every row of author_papers (ordered by listing date, so zonemaps
prune nothing on author_key: ~7.5M rows at 10x history). The macros of
warehouse/views/065_entity_pages.sql each scan for them again: five scans per page (figures,
months, papers, people, related; bench/entity_page_steps.py lists each call's scans). Here the
page scans once (`KEYS_SQL`: paper_id, listing_date, upvotes and organisation or submitter of
every paper of the entity, a few to some ten thousand rows), works out its figures, months and
related table from those rows in Polars, and reads the rest by paper id: one page of papers
through the index on papers.paper_id, the people on its latest papers in the days they span.

Every answer is the macro's (same rows, order, columns and types: tests/dashboard/test_entity_keys.py).
The SQL reads tables and the author_key macro only, which every warehouse with entity pages has.
"""

from __future__ import annotations

import polars as pl

# Grain: one row of entity_paper_keys (an author's from author_papers, else a paper): paper_id,
# listing_date, upvotes and the column its related table counts (RELATED_COLUMN: organization, for
# an organisation submitted_by). author_papers.upvotes and listing_date are the paper's (the load
# writes them together), so the related table takes them from here as the macro took papers'.
# An author's organisations are joined from the papers that have one (142k of 500k at 10x: the
# filter runs in the scan, before the join; ~15% less CPU than joining every paper).
KEYS_SQL = {
    "authors": (
        "WITH mine AS MATERIALIZED (SELECT paper_id, listing_date, upvotes FROM author_papers "
        "WHERE author_key = author_key($key)), "
        "claimed AS (SELECT paper_id, organization FROM papers WHERE organization IS NOT NULL) "
        "SELECT m.paper_id, m.listing_date, m.upvotes, c.organization "
        "FROM mine AS m LEFT JOIN claimed AS c USING (paper_id)"
    ),
    "organizations": "SELECT paper_id, listing_date, upvotes, submitted_by FROM papers WHERE organization = $key",
    "submitters": "SELECT paper_id, listing_date, upvotes, organization FROM papers WHERE submitted_by = $key",
}
# The papers of `ids` (found through the index on paper_id), with the columns of author_papers_of.
PAPERS_BY_ID_SQL = (
    "SELECT paper_id, title, listing_date, upvotes, num_comments, organization, submitted_by, author_count, github_repo "
    "FROM papers WHERE paper_id IN (SELECT unnest(CAST($ids AS VARCHAR[])))"
)
# people_on_latest's people on the papers `ids`, listed between $first and $last: the days bound
# the scan of author_papers (ordered by day), so DuckDB reads only the row groups of those days.
PEOPLE_SQL = """
WITH together AS MATERIALIZED (
    SELECT ap.author_key, count(*) AS papers, sum(ap.upvotes) AS upvotes, max(ap.listing_date) AS last_listing_date
    FROM author_papers AS ap
    WHERE ap.listing_date BETWEEN $first AND $last
      AND ap.paper_id IN (SELECT unnest(CAST($ids AS VARCHAR[])))
      AND ($kind <> 'authors' OR ap.author_key <> author_key($key))
    GROUP BY ap.author_key
),
shown AS (
    SELECT * FROM together
    ORDER BY papers DESC, upvotes DESC, author_key
    LIMIT $limit OFFSET $offset
),
-- the shown keys' author ids first, then their names by author_id (the primary key's index): joined
-- on author_key alone, DuckDB decoded the names around every one of the 50 (random) keys, 13 ms at
-- 10x history against 6 ms for the ids
named AS (SELECT author_key, author_id FROM authors WHERE author_key IN (SELECT author_key FROM shown))
SELECT a.author_id, a.name, a.hf_username, s.papers, s.upvotes, s.last_listing_date,
       (SELECT count(*) FROM together) AS people
FROM shown AS s
JOIN named AS n USING (author_key)
JOIN authors AS a ON a.author_id = n.author_id
ORDER BY s.papers DESC, s.upvotes DESC, s.author_key
"""
# DuckDB's sum of an INTEGER column is a HUGEINT, which reaches Polars as this decimal
SUM = pl.Decimal(38, 0)


def figures(keys: pl.DataFrame) -> dict:
    """entity_figures from the keys: papers, upvotes, median_upvotes, first_listing_date,
    last_listing_date (papers 0 and NULLs for an entity without papers)."""
    return keys.select(
        papers=pl.len().cast(pl.Int64),
        upvotes=pl.col("upvotes").cast(pl.Int64).sum().cast(SUM),
        median_upvotes=pl.col("upvotes").median(),
        first_listing_date=pl.col("listing_date").min(),
        last_listing_date=pl.col("listing_date").max(),
    ).row(0, named=True)


def months(keys: pl.DataFrame) -> pl.DataFrame:
    """entity_months from the keys: month (its first day), papers, upvotes, oldest first."""
    return (
        keys.group_by(month=pl.col("listing_date").dt.truncate("1mo"))
        .agg(papers=pl.len().cast(pl.Int64), upvotes=pl.col("upvotes").cast(pl.Int64).sum().cast(SUM))
        .sort("month")
    )


def related(keys: pl.DataFrame, by_column: str, limit: int | None) -> pl.DataFrame:
    """entity_papers_by from the keys: value of `by_column` ('organization' or 'submitted_by'),
    papers, upvotes, last_listing_date; most papers first, the first `limit` (None: all)."""
    counted = (
        keys.filter(pl.col(by_column).is_not_null())
        .group_by(value=pl.col(by_column))
        .agg(
            papers=pl.len().cast(pl.Int64),
            upvotes=pl.col("upvotes").cast(pl.Int64).sum().cast(SUM),
            last_listing_date=pl.col("listing_date").max(),
        )
        .sort(["papers", "upvotes", "value"], descending=[True, True, False])
    )
    return counted if limit is None else counted.head(limit)


def ranked_ids(keys: pl.DataFrame, limit: int, offset: int) -> list[str]:
    """Ids of rows offset+1 .. offset+limit of the papers, most upvoted first, then newest, then by id."""
    order = ["upvotes", "listing_date", "paper_id"]
    # top_k first: sorting a submitter's 60k keys took ~7 ms, picking the first rows ~1 ms
    first = keys.top_k(offset + limit, by=order, reverse=[False, False, True])
    return first.sort(order, descending=[True, True, False])["paper_id"].slice(offset, limit).to_list()


def in_rank_order(papers: pl.DataFrame, ids: list[str]) -> pl.DataFrame:
    """`papers` (read by id, in no order) in the order of `ids`."""
    order = pl.DataFrame({"paper_id": ids}, schema={"paper_id": pl.String}).with_row_index("rank")
    return order.join(papers, on="paper_id", how="inner").sort("rank").drop("rank")


def latest(keys: pl.DataFrame, count: int | None) -> pl.DataFrame:
    """The `count` most recent papers (None: all): newest day first, then the highest id."""
    order = ["listing_date", "paper_id"]
    chosen = keys if count is None else keys.top_k(count, by=order)
    return chosen.sort(order, descending=[True, True])
