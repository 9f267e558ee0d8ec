"""A small hand-made warehouse for view tests: in-memory DuckDB, the real DDL and views, and
helpers that fill the NOT NULL columns a test does not care about."""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl
import pytest

from tests.warehouse.publish_helpers import publish_base, publish_files  # noqa: F401 - fixtures of the publish tests
from warehouse.author_papers import fill_author_keys, refresh_author_papers
from warehouse.db import apply_schema
from warehouse.keywords import refresh_keyword_weeks


def shuffled_author_slots(paper_id: str, listing_date: date, count: int, offset: int, authors: int, rng) -> list[dict]:
    """`count` paper_authors rows of `paper_id`: position p is author au-<(offset + p) % authors>,
    the positions in an order shuffled by `rng` (a random.Random)."""
    positions = list(range(1, count + 1))
    rng.shuffle(positions)
    return [
        {
            "paper_id": paper_id,
            "author_id": f"au-{(offset + p) % authors}",
            "position": p,
            "name_as_listed": "x",
            "listing_date": listing_date,
        }
        for p in positions
    ]


def paper(paper_id: str, listing_date: date, upvotes: int = 0, **columns) -> dict:
    """A `papers` row; columns a test leaves out get neutral values (no repo, no org, ...)."""
    return {
        "paper_id": paper_id,
        "title": columns.pop("title", f"Paper {paper_id}"),
        "listing_date": listing_date,
        "upvotes": upvotes,
        "author_count": columns.pop("author_count", 1),
        **columns,
    }


def papers_file(path, listing_date: date, papers: list[tuple[str, str, str]]):
    """A warehouse file at `path` with the real schema and `papers` (paper_id, title, summary) listed
    on `listing_date`, nothing else: what the search build's measurements build on."""
    con = duckdb.connect(str(path))
    apply_schema(con)
    for paper_id, title, summary in papers:
        row = paper(paper_id, listing_date, title=title, summary=summary)
        con.execute(f"INSERT INTO papers ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    con.close()
    return path


class HandMadeWarehouse:
    """An in-memory warehouse with the real schema; rows go in as lists of dicts."""

    def __init__(self) -> None:
        self.con = duckdb.connect()
        apply_schema(self.con)

    def insert(self, table: str, rows: list[dict]) -> None:
        """Insert rows by column name; columns not given are NULL."""
        frame = pl.DataFrame(rows, infer_schema_length=None)
        self.con.register("hand_rows", frame)
        try:
            self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM hand_rows")
        finally:
            self.con.unregister("hand_rows")
        if table == "papers":
            refresh_keyword_weeks(self.con)  # as the load does for the weeks it changes
        if table in ("papers", "paper_authors"):
            refresh_author_papers(self.con)  # as the load does for the days it replaces
        if table == "authors":
            fill_author_keys(self.con)  # as the load does for the authors it adds

    def rows(self, sql: str, params: list | None = None) -> list[dict]:
        """Run a query and return its rows as dicts."""
        cursor = self.con.execute(sql, params or [])
        columns = [column[0] for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture
def hand_warehouse():
    """A fresh hand-made warehouse per test."""
    warehouse = HandMadeWarehouse()
    yield warehouse
    warehouse.con.close()


@pytest.fixture
def con():
    """A fresh in-memory DuckDB with the real schema and views (for load-level tests)."""
    connection = duckdb.connect()
    apply_schema(connection)
    yield connection
    connection.close()
