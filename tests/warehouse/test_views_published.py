"""Every view and macro lives in the database file: a plain read-only connection can use them,
and applying the schema again changes nothing."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest

from tests.warehouse.conftest import HandMadeWarehouse, paper
from warehouse.author_papers import fill_author_tables_if_missing
from warehouse.db import apply_schema
from warehouse.derived import rebuild_derived_tables

DAY = date(2025, 12, 25)

# Each query must return at least one row on the warehouse below.
QUERIES = {
    "daily_metrics": "SELECT * FROM daily_metrics",
    "weekly_metrics": "SELECT * FROM weekly_metrics",
    "monthly_metrics": "SELECT * FROM monthly_metrics",
    "metrics_by_period": "SELECT * FROM metrics_by_period('week', 'arxiv')",
    "paper_velocity": "SELECT * FROM paper_velocity",
    "rising_papers": "SELECT * FROM rising_papers(7)",
    "author_leaderboard": "SELECT * FROM author_leaderboard(NULL, NULL)",
    "organization_leaderboard": "SELECT * FROM organization_leaderboard('2025-12-01', '2025-12-31')",
    "submitter_leaderboard": "SELECT * FROM submitter_leaderboard(DATE '2025-12-25', NULL)",
    "author_merge_report": "SELECT * FROM author_merge_report",
    "paper_keywords": "SELECT * FROM paper_keywords",
    "keyword_weekly": "SELECT * FROM keyword_weekly",
    "keyword_coverage": "SELECT * FROM keyword_coverage",
    "rising_keywords": "SELECT * FROM rising_keywords",
    "search_papers": "SELECT * FROM search_papers('mamba')",
    "similar_papers": "SELECT * FROM similar_papers",
    "paper_cards_between": "SELECT * FROM paper_cards_between('2025-12-01', '2025-12-31')",
    "paper_cards_top": "SELECT * FROM paper_cards_top('2025-12-01', '2025-12-31', 5)",
    "adjacent_listing_days": "SELECT * FROM adjacent_listing_days('2025-12-01')",
    "trending_papers": "SELECT * FROM trending_papers(7, 1)",
    "trending_papers_top": "SELECT * FROM trending_papers_top(7, 1, 5)",
    "author_papers_of": "SELECT * FROM author_papers_of('a')",
    "people_of": "SELECT * FROM people_of('organizations', 'nvidia', NULL)",
    "find_authors": "SELECT * FROM find_authors('ANN', 10)",
    "entity_figures": "SELECT * FROM entity_figures('authors', 'a')",
    "entity_months": "SELECT * FROM entity_months('organizations', 'nvidia')",
    "entity_papers_ranked": "SELECT * FROM entity_papers_ranked('submitters', 'akhaliq', 50, 0)",
    "entity_papers_by": "SELECT * FROM entity_papers_by('authors', 'a', 'organization', 10)",
    "people_on_latest": "SELECT * FROM people_on_latest('organizations', 'nvidia', 500, 50, 0)",
}


def build(path) -> None:
    """A three-paper warehouse written to a file, as the publish step leaves it."""
    warehouse = HandMadeWarehouse()
    warehouse.con.close()
    warehouse.con = duckdb.connect(str(path))
    apply_schema(warehouse.con)
    warehouse.insert(
        "papers",
        [
            paper(
                "m1",
                DAY,
                4,
                title="Mamba layers",
                summary="Mamba state space.",
                organization="nvidia",
                submitted_by="akhaliq",
                published_at=datetime(2025, 12, 23),
                ai_keywords=["Mamba"],
            ),
            paper(
                "m2",
                DAY,
                2,
                title="Mamba vision",
                summary="Vision mamba.",
                organization="nvidia",
                submitted_by="akhaliq",
                published_at=datetime(2025, 12, 24),
                ai_keywords=["mamba"],
            ),
            # without a third paper 'mamba' would be in every paper, weigh 0, and link nobody
            paper("q1", DAY, 0, title="Quantum annealing", summary="Qubits."),
        ],
    )
    warehouse.insert(
        "votes",
        [  # m1 seen twice, so it has a rate
            {"paper_id": "m1", "listing_date": DAY, "observed_at": datetime(2025, 12, 25, 6), "upvotes": 1},
            {"paper_id": "m1", "listing_date": DAY, "observed_at": datetime(2025, 12, 25, 12), "upvotes": 4},
            {"paper_id": "m2", "listing_date": DAY, "observed_at": datetime(2025, 12, 25, 12), "upvotes": 2},
        ],
    )
    warehouse.insert("authors", [{"author_id": "a", "name": "Ann Lee", "hf_username": None, "identity_key": "name:ann lee"}])
    warehouse.insert(
        "paper_authors",
        [  # two spellings of one author: a merge-report row
            {"paper_id": "m1", "listing_date": DAY, "author_id": "a", "position": 1, "name_as_listed": "Ann Lee"},
            {"paper_id": "m2", "listing_date": DAY, "author_id": "a", "position": 1, "name_as_listed": "Ann  LEE"},
        ],
    )
    fill_author_tables_if_missing(warehouse.con)  # author_papers, as the load keeps it
    rebuild_derived_tables(warehouse.con)
    warehouse.con.close()


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    path = tmp_path_factory.mktemp("published") / "warehouse.duckdb"
    build(path)
    return path


@pytest.mark.parametrize("name", list(QUERIES))
def test_a_read_only_connection_can_use_it(published, name):
    con = duckdb.connect(str(published), read_only=True)
    try:
        assert con.execute(QUERIES[name]).fetchall(), f"{name} returned no rows"
    finally:
        con.close()


def catalog(con) -> list[tuple]:
    return con.execute(
        "SELECT 'view', view_name, sql FROM duckdb_views() WHERE NOT internal "
        "UNION ALL SELECT function_type, function_name, macro_definition FROM duckdb_functions() "
        "WHERE function_type IN ('macro', 'table_macro') AND NOT internal ORDER BY 1, 2"
    ).fetchall()


def test_applying_the_schema_again_keeps_data_and_definitions(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    build(path)
    with duckdb.connect(str(path)) as con:
        before = catalog(con), con.execute("SELECT count(*) FROM search_index").fetchone()
        apply_schema(con)
    # Compared as stored: a definition read back from a file is spelled as its storage format
    # serialises it (formats before v1.5.0 drop CTE MATERIALIZED hints, before v1.4.0 they
    # also write `lambda x: ...` as `x -> ...`), not as the live session spells it.
    with duckdb.connect(str(path)) as con:
        after = catalog(con), con.execute("SELECT count(*) FROM search_index").fetchone()
    assert before == after
    assert {name for _, name, _ in before[0]} >= {
        "daily_metrics",
        "metrics_by_period",
        "paper_velocity",
        "rising_papers",
        "author_leaderboard",
        "organization_leaderboard",
        "submitter_leaderboard",
        "author_merge_report",
        "paper_keywords",
        "keyword_weekly",
        "keyword_coverage",
        "rising_keywords",
        "search_papers",
        "text_terms",
    }
