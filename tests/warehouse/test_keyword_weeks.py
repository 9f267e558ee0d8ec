"""The weekly keyword tables follow `papers` through every load: they always equal what counting
paper_keywords from scratch gives (the definition the views document)."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pytest

from tests.warehouse.test_load import batch, paper
from warehouse.db import connect_writer
from warehouse.keywords import refresh_keyword_weeks, weeks_of
from warehouse.load import replace_partition, replace_partitions

MONDAY = date(2024, 5, 27)
NEXT_WEEK = MONDAY + timedelta(days=7)

FROM_SCRATCH = {
    "keyword_week_counts": """
        SELECT CAST(date_trunc('week', listing_date) AS DATE) AS week_start, keyword, count(*) AS papers
        FROM paper_keywords GROUP BY ALL ORDER BY ALL""",
    "keyword_week_coverage": """
        SELECT CAST(date_trunc('week', listing_date) AS DATE) AS week_start, count(*) AS papers,
               count(*) FILTER (WHERE paper_id IN (SELECT paper_id FROM paper_keywords))
        FROM papers GROUP BY ALL ORDER BY ALL""",
}


def kw_paper(paper_id: str, day: date, keywords: list[str] | None) -> dict:
    return {**paper(paper_id, 1, day), "ai_keywords": keywords}


def assert_tables_match_a_recount(con) -> None:
    for table, recount in FROM_SCRATCH.items():
        assert con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() == con.execute(recount).fetchall(), table


def test_loads_keep_the_weeks_they_touch_current_and_leave_the_others(con):
    replace_partition(
        con, batch(con, [kw_paper("a", MONDAY, ["LLM", "llm ", "Vision"]), kw_paper("b", MONDAY, None)], day=MONDAY)
    )
    replace_partition(con, batch(con, [kw_paper("c", NEXT_WEEK, ["Vision"])], day=NEXT_WEEK))
    assert_tables_match_a_recount(con)
    assert con.execute("SELECT * FROM keyword_weekly ORDER BY ALL").fetchall() == [
        (MONDAY, "llm", 1),
        (MONDAY, "vision", 1),
        (NEXT_WEEK, "vision", 1),
    ]
    assert con.execute(
        "SELECT week_start, papers, papers_with_keywords, coverage FROM keyword_coverage ORDER BY 1"
    ).fetchall() == [(MONDAY, 2, 1, 0.5), (NEXT_WEEK, 1, 1, 1.0)]
    # the day is re-fetched with other keywords: its week changes, the other week does not
    replace_partition(con, batch(con, [kw_paper("a", MONDAY, ["Agents"])], day=MONDAY))
    assert_tables_match_a_recount(con)
    assert con.execute("SELECT keyword FROM keyword_weekly WHERE week_start = ?", [MONDAY]).fetchall() == [("agents",)]


def test_a_paper_moving_to_another_week_leaves_its_old_week(con):
    replace_partition(con, batch(con, [kw_paper("a", MONDAY, ["LLM"]), kw_paper("b", MONDAY, ["LLM"])], day=MONDAY))
    replace_partition(con, batch(con, [kw_paper("a", NEXT_WEEK, ["LLM"])], day=NEXT_WEEK))
    assert_tables_match_a_recount(con)
    assert con.execute("SELECT week_start, papers FROM keyword_weekly ORDER BY 1").fetchall() == [(MONDAY, 1), (NEXT_WEEK, 1)]


def test_a_failed_load_leaves_the_keyword_tables_as_they_were(con):
    replace_partition(con, batch(con, [kw_paper("a", MONDAY, ["LLM"])], day=MONDAY))
    before = con.execute("SELECT * FROM keyword_week_counts ORDER BY ALL").fetchall()
    with pytest.raises(duckdb.Error):
        replace_partitions(con, [batch(con, [kw_paper("a", MONDAY, ["Other"])], day=MONDAY, bad_slot=True)])
    assert con.execute("SELECT * FROM keyword_week_counts ORDER BY ALL").fetchall() == before


def test_a_warehouse_made_before_the_tables_gets_them_filled_on_open(tmp_path):
    path = tmp_path / "old.duckdb"
    con = connect_writer(path)
    replace_partition(con, batch(con, [kw_paper("a", MONDAY, ["LLM"])], day=MONDAY))
    # as before the tables existed (nor the record of which schema files were applied)
    con.execute("DELETE FROM keyword_week_counts; DELETE FROM keyword_week_coverage; DROP TABLE schema_applied")
    con.close()
    con = connect_writer(path)
    try:
        assert_tables_match_a_recount(con)
        assert con.execute("SELECT count(*) FROM keyword_week_counts").fetchall() == [(1,)]
    finally:
        con.close()


def test_rising_keywords_of_one_week_equal_the_views_rows_of_that_week(con):
    days = [MONDAY + timedelta(days=7 * i) for i in range(10)]
    for i, day in enumerate(days):
        keywords = ["llm"] + (["agents"] if i >= 8 else [])
        papers = [kw_paper(f"p{i}-{j}", day, keywords if j <= i % 3 else ["vision"]) for j in range(3)]
        replace_partition(con, batch(con, papers, day=day))
    refresh_keyword_weeks(con)
    last = days[-1]
    view = con.execute("SELECT * FROM rising_keywords WHERE week_start = ? ORDER BY ALL", [last]).fetchall()
    macro = con.execute("SELECT * FROM rising_keywords_between(?, ?) ORDER BY ALL", [last, last]).fetchall()
    assert view == macro and len(macro) == 3
    assert weeks_of([last + timedelta(days=6)]) == [last]
