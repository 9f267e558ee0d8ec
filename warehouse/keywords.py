"""Keeping the weekly keyword tables (schema/004_keyword_weeks.sql) in step with `papers`.

The load calls `refresh_keyword_weeks` for the weeks it changed, inside its transaction; the
views in views/040_keywords.sql define what the rows mean (same macros, same grain), so the
tables always equal what the views would compute from `papers` directly (tests compare both).
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb

WEEK_OF = "CAST(date_trunc('week', listing_date) AS DATE)"

# $first..$last bound the dates read (DuckDB skips other row groups); {weeks} picks the weeks.
REFRESH_COUNTS = f"""
INSERT INTO keyword_week_counts
SELECT {WEEK_OF} AS week_start, keyword, count(*) AS papers
FROM paper_keywords_between($first, $last)
WHERE {{weeks}}
GROUP BY ALL
"""

REFRESH_COVERAGE = f"""
INSERT INTO keyword_week_coverage
SELECT {WEEK_OF} AS week_start, count(*) AS papers,
       count(*) FILTER (WHERE len(list_filter(ai_keywords, lambda k: normalise_keyword(k) IS NOT NULL)) > 0)
FROM papers_between($first, $last)
WHERE {{weeks}}
GROUP BY ALL
"""


def weeks_of(days: list[date]) -> list[date]:
    """The Mondays of the weeks `days` fall in."""
    return sorted({day - timedelta(days=day.weekday()) for day in days})


def refresh_keyword_weeks(con: duckdb.DuckDBPyConnection, weeks: list[date] | None = None) -> None:
    """Recompute the keyword tables' rows for `weeks` (Mondays) from `papers`; None = every week.

    Runs in the caller's transaction, if any.
    """
    params: dict[str, object]
    if weeks is None:
        condition, params = "true", {"first": None, "last": None}
    elif not weeks:
        return
    else:
        condition = f"{WEEK_OF} = ANY($weeks)"
        params = {"weeks": weeks, "first": min(weeks), "last": max(weeks) + timedelta(days=6)}
    for table in ("keyword_week_counts", "keyword_week_coverage"):
        if weeks is None:
            con.execute(f"DELETE FROM {table}")
        else:
            con.execute(f"DELETE FROM {table} WHERE week_start = ANY($weeks)", {"weeks": weeks})
    con.execute(REFRESH_COUNTS.format(weeks=condition), params)
    con.execute(REFRESH_COVERAGE.format(weeks=condition), params)


def fill_keyword_weeks_if_missing(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the keyword tables of a warehouse made before they existed (its papers, no weeks)."""
    [(weeks, papers)] = con.execute(
        "SELECT (SELECT count(*) FROM keyword_week_coverage), (SELECT count(*) FROM papers)"
    ).fetchall()
    if weeks == 0 and papers > 0:
        refresh_keyword_weeks(con)
