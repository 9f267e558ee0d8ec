"""The daily-run measurement: which days it fetches, what it refuses, and a whole tiny run."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bench.measure_daily_run import copy_history, measure_daily_run, newest_listing_date, refresh_days
from bench.plan import BenchPlan
from bench.report import headline
from orchestration.ingest.schedules import TRAILING_DAYS
from warehouse.db import connect_writer


def test_refresh_days_are_the_next_day_and_the_trailing_days_before_it():
    days = refresh_days(date(2026, 6, 2), today=date(2026, 12, 6))
    assert days[-1] == date(2026, 6, 3)  # one new day after the history's newest
    assert len(days) == TRAILING_DAYS + 1
    assert days == sorted(days) and days[1] - days[0] == timedelta(days=1)


def test_refresh_days_never_ask_for_a_day_after_today():
    # a history that ends today: the API serves no later day, so every day is a re-fetch
    assert refresh_days(date(2026, 12, 6), today=date(2026, 12, 6))[-1] == date(2026, 12, 6)


def test_an_empty_warehouse_is_refused_by_name(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    connect_writer(path).close()
    with pytest.raises(ValueError, match="papers table is empty"):
        newest_listing_date(path)


def test_a_missing_history_is_refused_with_what_to_build(tmp_path):
    with pytest.raises(FileNotFoundError, match="queries_10x"):
        copy_history(tmp_path / "no-history", tmp_path / "copy")


def test_a_retired_snapshot_is_copied_with_the_history(tmp_path):
    # Without it the run's first publish would copy the whole file, which a daily run does not.
    history = tmp_path / "history"
    (history / "work").mkdir(parents=True)
    for name, text in (
        ("warehouse.duckdb", "published"),
        (".warehouse.duckdb.retired", "retired"),
        ("work/warehouse.duckdb", "working"),
    ):
        (history / name).write_text(text)
    copy_history(history, tmp_path / "copy")
    copied = {p.relative_to(tmp_path / "copy").as_posix(): p.read_text() for p in (tmp_path / "copy").rglob("*") if p.is_file()}
    assert copied == {"warehouse.duckdb": "published", ".warehouse.duckdb.retired": "retired", "work/warehouse.duckdb": "working"}


PER_DAY = 3


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """A published history of 3 days (PER_DAY papers each) ending 2026-06-02, built once: each
    daily run works on its own copy and only reads it (the first test checks that)."""
    from bench.generate import DEFAULT_SEED
    from bench.history import build_published_history

    home = tmp_path_factory.mktemp("daily_run") / "history"
    build_published_history(home, date(2026, 6, 2), 3, PER_DAY, DEFAULT_SEED)
    return home


def test_the_daily_run_refetches_fifteen_days_into_a_copy_of_the_history(tmp_path, history):
    per_day = PER_DAY
    daily = measure_daily_run(history, tmp_path / "daily", per_day)
    run = daily["runs"][0]
    assert run["requests"] == TRAILING_DAYS + 1
    assert daily["new_day"] is True
    # the history's 3 days are re-fetched and 12 older days plus one new day are added
    assert run["published_papers"] == (TRAILING_DAYS + 1) * per_day
    assert daily["command"] == "papers backfill --start 2026-05-20 --end 2026-06-03"
    published = history / "warehouse.duckdb"
    assert daily["published_mb_before"] == published.stat().st_size / 1e6
    # the history itself was only read: it still ends on its own newest day
    assert newest_listing_date(published) == date(2026, 6, 2)
    plan = BenchPlan(0.06, True, year_days=2, per_partition_days=1, history_days=3, query_repeats=1)
    figures = headline({"daily_run_10x": daily}, plan)
    assert figures["daily_run_10x_s"] == daily["median_wall_s"] == run["wall_s"]
    # the Dagster runs by their records: one load run (the schedule's) and the search run after it
    assert [r["job"] for r in run["run_seconds"]] == ["daily_papers_job", "search_tables_job"]
    assert figures["daily_run_10x_schedule_run_s"] == run["schedule_run_s"] == run["run_seconds"][0]["seconds"]
    assert figures["daily_run_10x_search_run_s"] == run["search_run_s"] == run["run_seconds"][1]["seconds"]
    assert 0 < run["schedule_run_s"] + run["search_run_s"] == run["in_runs_s"] < run["wall_s"]


def test_a_settled_daily_run_is_timed_after_an_untimed_one_on_the_same_copy(tmp_path, history):
    per_day = PER_DAY
    daily = measure_daily_run(history, tmp_path / "daily", per_day, settle=True)
    run = daily["runs"][0]
    assert daily["settled"] is True and run["settle_wall_s"] > 0
    # the timed run fetched every day again and found the settling run's papers there
    assert run["requests"] == TRAILING_DAYS + 1
    assert run["published_papers"] == (TRAILING_DAYS + 1) * per_day
    assert [r["job"] for r in run["run_seconds"]] == ["daily_papers_job", "search_tables_job"]
