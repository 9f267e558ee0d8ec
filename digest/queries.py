"""What a digest reads from a warehouse: parameterised queries on its public views and macros
(warehouse/views/*.sql), so a digest ranks and counts exactly as the dashboard and SQL users do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from digest.weeks import Week

TOP_RISERS = 5
TOP_KEYWORDS = 10
TOP_PEOPLE = 5

# The week's papers in the warehouse's ranking (paper_cards_between: upvotes, then newest
# listing, then paper_id), with the first three authors and the organisation's display name.
PAPERS = """
SELECT c.paper_id, c.title, c.summary, c.listing_date, c.upvotes, c.num_comments, c.author_count,
       c.organization, c.organization_name, c.github_repo, c.github_stars,
       [a.name FOR a IN coalesce(c.first_authors, [])] AS first_authors
FROM paper_cards_between($first, $last) AS c
"""

# Upvotes gained per day over each paper's vote history (paper_velocity_of): papers fetched once
# have no rate and are left out, so a warehouse without re-fetches has no risers.
RISERS = """
SELECT paper_id, title, listing_date, observations, first_upvotes, latest_upvotes, upvotes_per_day
FROM paper_velocity_of((SELECT list(paper_id) FROM papers_between($first, $last)))
WHERE observations > 1 AND upvotes_per_day > 0
ORDER BY upvotes_per_day DESC, latest_upvotes DESC, paper_id
LIMIT $top
"""

# Keywords of the week scored against their own 8-week baseline (rising_keywords_between);
# the first weeks of the history have no baseline and no score.
KEYWORDS = """
SELECT keyword, papers, baseline_mean, z_score
FROM rising_keywords_between($first, $first)
WHERE z_score > 0
ORDER BY z_score DESC, papers DESC, keyword
LIMIT $top
"""

AUTHORS = "SELECT rank, name, papers, total_upvotes FROM author_ranking_top($first, $last, $top)"
ORGANIZATIONS = "SELECT rank, organization, fullname, papers, total_upvotes FROM organization_ranking_top($first, $last, $top)"

TOTALS = """
SELECT count(*) AS papers, coalesce(sum(upvotes), 0) AS upvotes
FROM papers_between($first, $last)
"""

WAREHOUSE_SPAN = "SELECT min(listing_date) AS first_day, max(listing_date) AS last_day FROM papers"


@dataclass(frozen=True)
class WeekRows:
    """The rows a digest of one week is made of, as the queries return them."""

    week: Week
    papers: list[dict]
    risers: list[dict]
    keywords: list[dict]
    authors: list[dict]
    organizations: list[dict]
    totals: dict
    previous_totals: dict
    warehouse_first_day: date | None
    warehouse_last_day: date | None


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> list[dict]:
    """The rows of `sql` as dicts (column name -> value)."""
    cursor = con.execute(sql, params)
    names = [column[0] for column in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def read_week(con: duckdb.DuckDBPyConnection, week: Week) -> WeekRows:
    """Everything the digest of `week` shows, read from the warehouse behind `con`."""
    span = {"first": week.start, "last": week.end}
    previous = {"first": week.previous.start, "last": week.previous.end}
    [bounds] = rows(con, WAREHOUSE_SPAN, {})
    return WeekRows(
        week=week,
        papers=rows(con, PAPERS, span),
        risers=rows(con, RISERS, span | {"top": TOP_RISERS}),
        keywords=rows(con, KEYWORDS, {"first": week.start, "top": TOP_KEYWORDS}),
        authors=rows(con, AUTHORS, span | {"top": TOP_PEOPLE}),
        organizations=rows(con, ORGANIZATIONS, span | {"top": TOP_PEOPLE}),
        totals=rows(con, TOTALS, span)[0],
        previous_totals=rows(con, TOTALS, previous)[0],
        warehouse_first_day=bounds["first_day"],
        warehouse_last_day=bounds["last_day"],
    )


def feed_weeks(con: duckdb.DuckDBPyConnection, count: int) -> list[Week]:
    """The `count` newest weeks of the warehouse: the week of its newest listing date and the
    ones before it (none for an empty warehouse)."""
    [bounds] = rows(con, WAREHOUSE_SPAN, {})
    if bounds["last_day"] is None:
        return []
    newest = Week.containing(bounds["last_day"])
    weeks = [newest]
    while len(weeks) < count:
        weeks.append(weeks[-1].previous)
    return weeks


def feed_papers(con: duckdb.DuckDBPyConnection, weeks: list[Week]) -> list[dict]:
    """The papers of `weeks`, most upvoted first (the warehouse's ranking over the whole span)."""
    if not weeks:
        return []
    return rows(con, PAPERS, {"first": min(w.start for w in weeks), "last": max(w.end for w in weeks)})
