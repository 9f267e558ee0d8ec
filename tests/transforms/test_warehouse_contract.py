"""The frames load into the warehouse DDL as they are (INSERT ... BY NAME), with the same column types."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.transforms.api_pages import FETCHED_AT, page, paper_item
from transforms import build_listing_tables

REPO_ROOT = Path(__file__).resolve().parents[2]
CORE_DDL = REPO_ROOT / "warehouse" / "schema" / "001_core_tables.sql"
DAY_FILE = REPO_ROOT / "hf_api" / "sample_days" / "daily_papers_2025-12-25.json"
TABLES = {
    "papers": "papers",
    "authors": "authors",
    "paper_authors": "paper_authors",
    "votes": "votes",
    "submitters": "submitters",
    "organizations": "organizations",
    "quarantined": "quarantined_records",
}


@pytest.fixture
def warehouse():
    con = duckdb.connect()
    con.execute(CORE_DDL.read_text())
    yield con
    con.close()


def test_every_frame_inserts_by_name_and_columns_match_exactly(warehouse):
    tables = build_listing_tables(
        # the real era-D day plus a bad record, so quarantined_records gets a row too
        [DAY_FILE.read_bytes(), page(paper_item("p-bad", upvotes="abc"))],
        date(2025, 12, 25),
        FETCHED_AT,
    )
    for field, table in TABLES.items():
        frame = getattr(tables, field)
        columns = [row[0] for row in warehouse.execute(f"DESCRIBE {table}").fetchall()]
        assert frame.columns == columns, table
        warehouse.register("frame", frame)
        warehouse.execute(f"INSERT INTO {table} BY NAME SELECT * FROM frame")
        warehouse.unregister("frame")
        assert warehouse.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == frame.height, table
    assert warehouse.execute("SELECT count(*) FROM quarantined_records").fetchone()[0] == 1
    # timestamps arrive as naive UTC: the +02:00 fetch time is stored as 03:04:05
    assert str(warehouse.execute("SELECT DISTINCT observed_at FROM votes").fetchone()[0]) == "2025-01-02 03:04:05"
