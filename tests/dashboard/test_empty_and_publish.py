"""No published warehouse: every page explains how to make one. A publish: pages show new data."""

from __future__ import annotations

import os
from datetime import datetime

import duckdb
import pytest

from dashboard.nav import PAGES
from papers_settings import Settings
from tests.dashboard.apptest_helpers import metrics, open_page
from tests.dashboard.seed import seed_warehouse


def has_fetched_at(con) -> bool:
    """Whether this DDL still has papers.fetched_at (being dropped from the core tables)."""
    return "fetched_at" in [r[0] for r in con.execute("SELECT name FROM pragma_table_info('papers')").fetchall()]


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_says_how_to_create_a_warehouse(papers_home, name):
    at = open_page(name)
    assert not Settings.from_env().warehouse.published_path.exists()
    texts = [i.value for i in at.info]
    assert any("papers up" in t and "papers backfill" in t for t in texts), texts


def test_a_publish_is_seen_on_the_next_run_even_with_a_reader_open(papers_home, tmp_path):
    published = seed_warehouse(Settings.from_env().warehouse.published_path)
    at = open_page("overview", period="30d")
    assert metrics(at)["Papers"][0] == "5"

    # A snapshot with one more paper on the newest day, swapped in the way a publish does it.
    staged = seed_warehouse(tmp_path / "staged.duckdb", published_at=datetime(2025, 1, 15, 6))
    with duckdb.connect(str(staged)) as con:
        con.execute(
            "INSERT INTO papers BY NAME SELECT '2501.00006' AS paper_id, 'Added by the publish' AS title, "
            "DATE '2025-01-14' AS listing_date, 7 AS upvotes, 0 AS author_count"
            + (", TIMESTAMP '2025-01-14 09:00' AS fetched_at" if has_fetched_at(con) else "")
        )
        con.execute("CHECKPOINT")
    # Another reader (say, a DuckDB client) holds the old file open across the swap.
    holder = duckdb.connect(str(published), read_only=True)
    try:
        os.replace(staged, published)
        at.run()
    finally:
        holder.close()
    assert not at.exception
    assert metrics(at)["Papers"][0] == "6"
    assert any("2025-01-15 06:00 UTC" in c.value for c in at.caption)
