"""Keeping `author_papers` (schema/005_author_papers.sql) in step with `papers` and `paper_authors`.

The load calls `insert_author_papers` for the days it replaced, inside its transaction, after it
deleted their old rows (warehouse/load.py deletes them with the other per-day tables), so the
table always equals what AUTHOR_PAPERS_SQL computes from the two tables (tests compare both).
"""

from __future__ import annotations

from datetime import date

import duckdb

# Both listing dates are filtered so DuckDB skips other days' row groups of both tables. A paper
# is listed on one day, so its author slots and its row share the date.
AUTHOR_PAPERS_SQL = """
INSERT INTO author_papers
SELECT DISTINCT pa.listing_date, author_key(pa.author_id), pa.author_id, pa.paper_id, p.upvotes
FROM paper_authors AS pa
JOIN papers AS p ON p.paper_id = pa.paper_id AND p.listing_date = pa.listing_date
WHERE {days}
ORDER BY pa.listing_date
"""


def insert_author_papers(con: duckdb.DuckDBPyConnection, days: list[date]) -> None:
    """Insert the author_papers rows of `days` (their old rows must be gone). Runs in the
    caller's transaction, if any."""
    if days:
        con.execute(AUTHOR_PAPERS_SQL.format(days="pa.listing_date = ANY($days) AND p.listing_date = ANY($days)"), {"days": days})


def refresh_author_papers(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every row of author_papers from papers and paper_authors."""
    con.execute("DELETE FROM author_papers")
    con.execute(AUTHOR_PAPERS_SQL.format(days="true"))


def fill_author_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Set authors.author_key and authors.name_folded where they are missing (the load sets
    them for the authors it adds)."""
    con.execute("UPDATE authors SET author_key = author_key(author_id) WHERE author_key IS NULL")
    fill_folded_names(con)


def fill_folded_names(con: duckdb.DuckDBPyConnection) -> None:
    """Set authors.name_folded (lower(strip_accents(name))) where it is missing: folded once
    here, not for every author on every search (find_authors)."""
    con.execute("UPDATE authors SET name_folded = lower(strip_accents(name)) WHERE name_folded IS NULL")


def fill_author_tables_if_missing(con: duckdb.DuckDBPyConnection) -> None:
    """Fill authors.author_key, authors.name_folded and author_papers in a warehouse made before
    they existed."""
    fill_author_keys(con)
    [(rows, slots)] = con.execute("SELECT (SELECT count(*) FROM author_papers), (SELECT count(*) FROM paper_authors)").fetchall()
    if rows == 0 and slots > 0:
        refresh_author_papers(con)
