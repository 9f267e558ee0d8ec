"""A generated warehouse over many months, made with the real DDL and the load's own helpers.

Deterministic (no randomness): every value is a function of the day and the paper's number. A few
rows carry what an export must keep intact: a title with a quote, a pipe and accents, NULL and
empty keyword lists, papers without an arXiv time, a quarantined record and an imported listing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from warehouse.author_papers import fill_author_keys, refresh_author_papers
from warehouse.db import apply_schema
from warehouse.derived import rebuild_derived_tables
from warehouse.keywords import refresh_keyword_weeks

PAPERS_SQL = """
INSERT INTO papers BY NAME
SELECT
    printf('%s.%05d', strftime(day, '%y%m'), day_number * 100 + n) AS paper_id,
    CASE WHEN n = 0 THEN 'Über "quoted" | piped title, day ' || day_number ELSE 'Paper ' || day_number || '-' || n END AS title,
    'An abstract about models, data and evaluation number ' || (day_number * 7 + n) % 13 AS summary,
    CASE WHEN n % 4 = 3 THEN NULL ELSE day - INTERVAL 2 DAY + INTERVAL (n) HOUR END AS published_at,
    day AS listing_date,
    (day_number * 31 + n * 17) % 97 AS upvotes,
    n % 5 AS num_comments,
    CASE WHEN n % 3 = 0 THEN 'org' || (n % 4) END AS organization,
    CASE n % 3 WHEN 0 THEN NULL WHEN 1 THEN []::VARCHAR[] ELSE ['kw ' || (day_number % 6), 'kw ' || (n % 5)] END AS ai_keywords,
    $authors_per_paper AS author_count
FROM (SELECT $start + i::INT AS day, i::INT AS day_number FROM range($days) AS t(i))
CROSS JOIN (SELECT i::INT AS n FROM range($papers_per_day) AS t(i))
"""

AUTHORS_SQL = """
INSERT INTO authors BY NAME
SELECT left(sha1('name:author ' || i), 16) AS author_id, 'Author ' || i AS name, 'name:author ' || i AS identity_key
FROM range($pool) AS t(i)
"""

PAPER_AUTHORS_SQL = """
INSERT INTO paper_authors BY NAME
SELECT p.paper_id, left(sha1('name:author ' || ((hash(p.paper_id) + s.position * 7919) % $pool)), 16) AS author_id,
       s.position, 'Author ' || ((hash(p.paper_id) + s.position * 7919) % $pool) AS name_as_listed, p.listing_date
FROM papers AS p CROSS JOIN (SELECT i::INT + 1 AS position FROM range($authors_per_paper) AS t(i)) AS s
"""

VOTES_SQL = """
INSERT INTO votes BY NAME
SELECT paper_id, listing_date + INTERVAL (h) HOUR AS observed_at, upvotes - (h = 1)::INT AS upvotes, num_comments, listing_date
FROM papers CROSS JOIN (VALUES (1), (25)) AS hours(h)
"""

BOOKKEEPING_SQL = """
INSERT INTO partition_loads
SELECT listing_date, listing_date + INTERVAL 25 HOUR, 2, count(*), count(*), 0, listing_date + INTERVAL 26 HOUR
FROM papers GROUP BY listing_date;
INSERT INTO publish_log SELECT max(loaded_at), 'generated-run', count(*), (SELECT count(*) FROM papers) FROM partition_loads;
INSERT INTO quarantined_records VALUES
    ($start, $start + INTERVAL 1 HOUR, 3, NULL, 'paper.id: missing', '{"paper": {"title": "no id"}}');
INSERT INTO listed_papers VALUES
    ('page.txt', 'abc123', 1, 'Paper 0-1', 'An abstract', 3, $start, 5, 'Org', NULL, $start + INTERVAL 3 HOUR);
INSERT INTO submitters VALUES ('someone', 'Some One', NULL, false, 12);
INSERT INTO organizations SELECT DISTINCT organization, upper(organization), NULL FROM papers WHERE organization IS NOT NULL;
"""


def generate_warehouse(
    path: Path,
    start: date = date(2024, 1, 1),
    days: int = 425,
    papers_per_day: int = 3,
    authors_per_paper: int = 4,
    derived: bool = True,
) -> Path:
    """Write a warehouse of `days` listing days from `start` at `path` and return the path."""
    params = {"start": start, "days": days, "papers_per_day": papers_per_day, "authors_per_paper": authors_per_paper}
    pool = {"pool": max(50, days * papers_per_day)}
    with duckdb.connect(str(path)) as con:
        apply_schema(con)
        con.execute(PAPERS_SQL, params)
        con.execute(AUTHORS_SQL, pool)
        con.execute(PAPER_AUTHORS_SQL, {**pool, "authors_per_paper": authors_per_paper})
        con.execute(VOTES_SQL)
        for statement in BOOKKEEPING_SQL.split(";"):
            if statement.strip():
                con.execute(statement, {"start": start} if "$start" in statement else None)
        fill_author_keys(con)
        refresh_author_papers(con)
        refresh_keyword_weeks(con)
        if derived:
            rebuild_derived_tables(con)
        con.execute("CHECKPOINT")
    return path
