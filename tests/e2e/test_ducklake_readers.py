"""Readers of a DuckLake warehouse: `papers warehouse migrate` both ways, `papers sql`, `papers export`
and the dashboard (its queries, every page and the SQL console in real Chromium) give the answers
the file gives."""

from __future__ import annotations

import json
import os
from datetime import date

import duckdb
import polars as pl
import pytest
from playwright.sync_api import expect
from polars.testing import assert_frame_equal

from dashboard.filters import PaperFilters
from dashboard.nav import PAGES
from dashboard.repository import WarehouseRepository
from tests.dashboard.seed import seed_warehouse
from tests.e2e.cli_helpers import run_papers
from tests.e2e.dashboard_server import REPO_ROOT, serve_dashboard
from tests.e2e.ducklake_helpers import file_tables, lake_env, lake_tables, new_lake, run_papers_on_lake
from tests.e2e.test_dashboard_browser import open_page
from warehouse.export import export_warehouse

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
UNUSED_API = "http://127.0.0.1:9"  # nothing here fetches


@pytest.fixture(scope="module")
def migrated(tmp_path_factory, postgres_server):
    """The dashboard's seeded file warehouse, copied into a new lake by `papers warehouse migrate`."""
    home = tmp_path_factory.mktemp("file_home")
    seed_warehouse(home / "warehouse.duckdb")
    lake = new_lake(postgres_server, "lake_readers", tmp_path_factory.mktemp("lake_data"))
    done = run_papers_on_lake(["warehouse", "migrate", "--to", "ducklake"], home, UNUSED_API, lake)
    assert done.returncode == 0, done.output
    return home / "warehouse.duckdb", lake


def test_migrate_copies_every_table_into_ducklake_and_back(migrated, tmp_path):
    db, lake = migrated
    original = file_tables(db)
    assert lake_tables(lake) == original
    back_home = tmp_path / "back"
    back = run_papers_on_lake(["warehouse", "migrate", "--to", "file"], back_home, UNUSED_API, lake)
    assert back.returncode == 0, back.output
    assert file_tables(back_home / "warehouse.duckdb") == original
    # the copy back is the file warehouse the writers continue with, keys and indexes included
    assert file_tables(back_home / "work" / "warehouse.duckdb") == original


def test_migrate_without_a_lake_says_which_variables_to_set(tmp_path):
    done = run_papers(["warehouse", "migrate", "--to", "ducklake"], tmp_path, UNUSED_API)
    assert done.returncode == 2 and "PAPERS_DUCKLAKE_CATALOG and PAPERS_DUCKLAKE_DATA_PATH" in done.output


def test_papers_sql_answers_on_ducklake_as_on_the_file(migrated, tmp_path):
    db, lake = migrated
    query = "SELECT * FROM search_papers('reasoning') ORDER BY ALL"
    on_file = run_papers(["sql", "--csv", query], db.parent, UNUSED_API)
    on_lake = run_papers_on_lake(["sql", "--csv", query], tmp_path, UNUSED_API, lake)
    assert on_file.returncode == 0 and on_lake.returncode == 0, on_lake.output
    assert on_lake.output == on_file.output and "Reasoning with Reinforcement" in on_lake.output
    refused = run_papers_on_lake(["sql", "DELETE FROM papers"], tmp_path, UNUSED_API, lake)
    assert refused.returncode == 1 and "read-only" in refused.output


def exported(out) -> tuple[dict, dict[str, list[tuple]]]:
    """schema.json and every table's rows, without the publishes (the migration is a publish of its
    own: one more publish_log row, a later publish time)."""
    schema = json.loads((out / "schema.json").read_text())
    del schema["exported_at"], schema["source"]["warehouse_published_at"]
    schema["tables"] = [table for table in schema["tables"] if table["name"] != "publish_log"]
    with duckdb.connect() as con:
        rows = {
            table["name"]: con.execute(
                f"SELECT * FROM read_parquet('{out}/{table['files']}', hive_partitioning = true) ORDER BY ALL"
            ).fetchall()
            for table in schema["tables"]
        }
    return schema, rows


def test_papers_export_writes_the_same_files_and_rows_from_ducklake_as_from_the_file(migrated, tmp_path):
    db, lake = migrated
    export_warehouse(db, tmp_path / "from_file")
    done = run_papers_on_lake(["export", "--out", str(tmp_path / "from_lake")], tmp_path, UNUSED_API, lake)
    assert done.returncode == 0 and "Exported 13 tables" in done.output, done.output
    files = [
        sorted(str(f.relative_to(tmp_path / side)) for f in (tmp_path / side).rglob("*")) for side in ("from_file", "from_lake")
    ]
    assert files[0] == files[1] and any(name.startswith("papers/listing_month=") for name in files[0])
    (file_schema, file_rows), (lake_schema, lake_rows) = exported(tmp_path / "from_file"), exported(tmp_path / "from_lake")
    assert lake_schema == file_schema
    assert lake_rows == file_rows and len(file_rows["papers"]) == 5


def test_dashboard_queries_answer_on_ducklake_as_on_the_file(migrated):
    db, lake = migrated
    on_file, on_lake = WarehouseRepository(db), WarehouseRepository(lake)
    window = (date(2024, 12, 1), date(2025, 1, 31))
    for ask in (
        # (the migration is a publish of its own: last_publish is its time)
        lambda r: {k: v for k, v in r.data_as_of().items() if k != "last_publish"},
        lambda r: r.kpis(*window),
        lambda r: r.papers_per_period("week"),
        lambda r: r.papers(PaperFilters(start=window[0], end=window[1])),
        lambda r: r.leaderboard("authors", *window),
        lambda r: r.search("reasoning"),
        lambda r: r.similar_papers("2501.00001"),
        lambda r: r.top_keywords(),
        lambda r: r.vote_history("2501.00001"),
        lambda r: r.load_calendar(),
    ):
        got, expected = ask(on_lake), ask(on_file)
        if isinstance(expected, pl.DataFrame):
            assert_frame_equal(got, expected)
            assert expected.height > 0
        else:
            assert got == expected


@pytest.fixture(scope="module")
def lake_dashboard(migrated, tmp_path_factory, chromium):
    """`streamlit run dashboard/app.py` with PAPERS_DUCKLAKE_* set and no warehouse file at all."""
    _, lake = migrated
    with serve_dashboard(tmp_path_factory.mktemp("lake_home"), {**os.environ, **lake_env(lake)}) as base:
        yield base


def test_every_dashboard_page_renders_on_ducklake_in_chromium(page, lake_dashboard):
    page.set_viewport_size({"width": 1440, "height": 1000})
    query = {"paper": "?id=2501.00001", "search": "?q=reasoning", "authors": "?key=a-ann"}
    shots = REPO_ROOT / "test-artifacts" / "screenshots" / "ducklake"
    shots.mkdir(parents=True, exist_ok=True)
    for name in PAGES:
        open_page(page, lake_dashboard, name, query.get(name, ""))
        assert page.locator('[data-testid="stException"]').count() == 0, name
        assert page.get_by_text("No published warehouse yet").count() == 0, name
        page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    # the two seeded papers that mention reasoning, found through the lake's search index
    page.goto(f"{lake_dashboard}/search?q=reasoning")
    for title in ("Reasoning with Reinforcement", "Chain of Thought at Scale"):
        expect(page.get_by_text(title, exact=True)).to_have_count(1)


def test_the_sql_console_answers_and_refuses_on_ducklake_in_chromium(page, lake_dashboard):
    page.set_viewport_size({"width": 1440, "height": 1000})
    page.set_default_timeout(90_000)
    editor = page.locator('[data-testid="stTextArea"] textarea')
    page.goto(f"{lake_dashboard}/sql")
    for sql, shown in (
        ("SELECT paper_id FROM papers", "Download CSV (5 rows)"),  # the five seeded papers, read from the lake
        ("SELECT * FROM papers AT (VERSION => 1)", "AT (time travel) is not allowed"),
        ("SELECT * FROM read_csv('/etc/passwd')", "The table function read_csv is not allowed"),
    ):
        editor.fill(sql)
        page.get_by_role("button", name="Run query").click()
        expect(page.get_by_text(shown)).to_have_count(1, timeout=60_000)  # the worker opens the lake first
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(REPO_ROOT / "test-artifacts" / "screenshots" / "ducklake" / "sql_console.png"), full_page=True)
