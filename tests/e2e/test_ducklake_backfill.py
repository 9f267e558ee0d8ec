"""`papers backfill` into a DuckLake warehouse (PostgreSQL catalog): the same tables as the file."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

import pytest

from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from tests.e2e.cli_helpers import run_papers
from tests.e2e.ducklake_helpers import PUBLIC_TABLES, all_tables, file_tables, new_lake, run_papers_on_lake, table_rows
from warehouse import ducklake

pytestmark = pytest.mark.e2e
START = date(2025, 3, 3)
N_DAYS = 6
END = START + timedelta(days=N_DAYS - 1)


def test_fixture_days_backfilled_into_ducklake_equal_the_file_warehouse_row_for_row(tmp_path, postgres_server):
    days_dir = tmp_path / "served"
    fixture_days(days_dir, N_DAYS, START)
    lake = new_lake(postgres_server, "lake_equal", tmp_path / "lake-data")
    with FakeHFServer(days_dir) as server:
        on_file = run_papers(["backfill", "--start", str(START), "--end", str(END)], tmp_path / "file-home", server.base_url)
        assert on_file.returncode == 0, on_file.output
        on_lake = run_papers_on_lake(
            ["backfill", "--start", str(START), "--end", str(END)], tmp_path / "lake-home", server.base_url, lake
        )
        assert on_lake.returncode == 0, on_lake.output
    expected = file_tables(tmp_path / "file-home" / "warehouse.duckdb")
    assert all(expected[t] for t in ("papers", "authors", "paper_authors", "votes", "search_index", "similar_papers"))
    # One reader connection per look (opening the lake costs ~1 s of CPU).
    with reading(lake) as con:
        got = all_tables(con)
        publishes = con.execute("SELECT count(*) FROM publish_log").fetchall()
    for table in PUBLIC_TABLES:
        assert got[table] == expected[table], table
    # The lake holds the data; no warehouse file was written in the lake's home.
    assert not (tmp_path / "lake-home" / "warehouse.duckdb").exists()
    assert not (tmp_path / "lake-home" / "work" / "warehouse.duckdb").exists()
    # a load run's publish, then the search rebuild's
    assert publishes == [(2,)]

    # The daily run's shape on an indexed lake: its day re-fetched, indexed by the load run before
    # its one publish; the search run after it finds nothing to do and does not publish again.
    with FakeHFServer(days_dir) as server:
        rerun = run_papers_on_lake(
            ["backfill", "--start", str(END), "--end", str(END)], tmp_path / "lake-home", server.base_url, lake
        )
        assert rerun.returncode == 0, rerun.output
    with reading(lake) as con:
        assert con.execute("SELECT count(*) FROM publish_log").fetchall() == [(3,)]
        assert table_rows(con, "search_index") == expected["search_index"]


@contextmanager
def reading(lake):
    """A reader connection at the lake's newest published snapshot, closed after the block."""
    con = ducklake.connect_reader(lake)
    try:
        yield con
    finally:
        con.close()
