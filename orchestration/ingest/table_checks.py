"""Asset checks on the warehouse tables, evaluated right after each load on the written days."""

from __future__ import annotations

from datetime import date

import dagster as dg

# (asset, check name, description, SQL counting offending rows among the loaded days)
_CHECKS = [
    # The uniqueness checks count the rows of the loaded days' papers (on any day), not the whole
    # table: a duplicate can only come from a load, whose own run reports it. Over every row they
    # cost in proportion to the history (at 10x: ~1.6 s of CPU for the 7.5M author slots, 0.1-0.7 s
    # for the 500k papers and the votes per daily run); over the loaded days' papers ~0.02 s each.
    (
        "papers",
        "unique_paper_ids",
        "No paper_id of the loaded days' papers appears twice in papers.",
        "SELECT count(*) - count(DISTINCT paper_id) FROM papers "
        "WHERE paper_id IN (SELECT paper_id FROM papers WHERE listing_date = ANY($days))",
    ),
    (
        "paper_authors",
        "unique_author_slots",
        "No (paper_id, position) appears twice in paper_authors among the papers of the loaded days.",
        "SELECT count(*) - count(DISTINCT (paper_id, position)) FROM paper_authors "
        "WHERE paper_id IN (SELECT paper_id FROM papers WHERE listing_date = ANY($days))",
    ),
    (
        "votes",
        "one_observation_per_paper_per_fetch",
        "No (paper_id, observed_at) of the loaded days' papers appears twice in votes.",
        "SELECT count(*) - count(DISTINCT (paper_id, observed_at)) FROM votes "
        "WHERE paper_id IN (SELECT paper_id FROM papers WHERE listing_date = ANY($days))",
    ),
    (
        "paper_authors",
        "authors_point_at_papers_and_authors",
        "Every paper_authors row points at an existing paper and an existing author.",
        "SELECT count(*) FROM paper_authors pa "
        "WHERE pa.listing_date = ANY($days) AND (NOT EXISTS (SELECT 1 FROM papers p WHERE p.paper_id = pa.paper_id) "
        "OR NOT EXISTS (SELECT 1 FROM authors a WHERE a.author_id = pa.author_id))",
    ),
    (
        "paper_authors",
        "author_keys_unique",
        "Every author has an author_key and no two share one (the integer the author leaderboards group and look authors up by).",
        "SELECT count(*) - count(DISTINCT author_key) FROM authors",
    ),
    (
        "papers",
        "upvotes_not_negative",
        "upvotes and num_comments are never negative.",
        "SELECT count(*) FROM papers WHERE listing_date = ANY($days) AND (upvotes < 0 OR coalesce(num_comments, 0) < 0)",
    ),
    (
        "votes",
        "vote_upvotes_not_negative",
        "Every vote observation has upvotes >= 0.",
        "SELECT count(*) FROM votes WHERE listing_date = ANY($days) AND upvotes < 0",
    ),
    (
        "quarantined_records",
        "raw_records_accounted_for",
        "For each loaded day, raw records = loaded papers + quarantined records.",
        "SELECT count(*) FROM partition_loads l WHERE l.listing_date = ANY($days) AND l.raw_records <> "
        "(SELECT count(*) FROM papers p WHERE p.listing_date = l.listing_date) + "
        "(SELECT count(*) FROM quarantined_records q WHERE q.listing_date = l.listing_date AND q.fetched_at = l.fetched_at)",
    ),
]

TABLE_CHECK_SPECS = [dg.AssetCheckSpec(name, asset=asset, description=description) for asset, name, description, _ in _CHECKS]


def table_check_results(con, days: list[date]) -> list[dg.AssetCheckResult]:
    """Run every table check on the given days (the uniqueness of author keys over every author)."""
    results = []
    for asset, name, _, sql in _CHECKS:
        offending = con.execute(sql, {"days": days} if "$days" in sql else {}).fetchall()[0][0]
        results.append(
            dg.AssetCheckResult(
                asset_key=asset,
                check_name=name,
                passed=offending == 0,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata={"offending_rows": offending, "days_checked": len(days)},
            )
        )
    return results
