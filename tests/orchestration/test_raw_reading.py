"""Leftover and corrupt raw files fail at most their own day, naming the file (issue 17, item 2)."""

from __future__ import annotations

from datetime import date

import dagster as dg
import pytest

from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from landing.raw_reading import read_landed_days
from landing.raw_store import last_failure, list_fetches
from orchestration.runs.backfill import run_warnings
from tests.orchestration.test_daily_papers_asset import published, run_range

START = date(2025, 2, 3)


@pytest.fixture
def instance():
    with dg.DagsterInstance.ephemeral() as ephemeral:
        yield ephemeral


def truncate_first_page(fetch_folder) -> None:
    page = sorted(fetch_folder.glob("page-*.json"))[0]
    page.write_bytes(page.read_bytes()[: page.stat().st_size // 2])


def loaded_days(home) -> set[date]:
    return {row[0] for row in published(home, "SELECT DISTINCT listing_date FROM papers")}


def test_staging_folders_and_unreadable_older_fetches_are_skipped_and_the_day_loads(tmp_path, instance):
    days_dir = tmp_path / "served"
    days = fixture_days(days_dir, 3, START)
    home = tmp_path / "home"
    raw = home / "raw" / "daily_papers"
    with FakeHFServer(days_dir) as server:
        assert run_range(server, home, days[0], days[-1], instance).success
        [old] = list_fetches(raw, days[1])
        truncate_first_page(old.folder)  # an older fetch's page cut short
        (raw / str(days[2]) / ".staging-0123").mkdir()  # left by a writer killed mid-landing
        (raw / str(days[2]) / ".staging-0123" / "manifest.json").write_text("")
        result = run_range(server, home, days[0], days[-1], instance)
    assert result.success
    assert loaded_days(home) == set(days)
    # The day loaded from its newer fetch; only the unreadable fetch's vote observation is missing.
    assert published(home, "SELECT fetch_count FROM partition_loads WHERE listing_date = ?", [days[1]]) == [(1,)]
    assert published(home, "SELECT fetch_count FROM partition_loads WHERE listing_date = ?", [days[0]]) == [(2,)]
    # What `papers backfill` shows on its terminal for the run (Dagster's console lines are off there).
    [warning] = run_warnings(instance, result.run_id)
    page = old.folder / "page-0000.json"
    assert warning == (
        f"{days[1]}: skipped an older fetch, unreadable raw file {page}: its content "
        f"({page.stat().st_size} bytes) is not what was landed (SHA-256 differs)"
    )


def test_an_unreadable_newest_fetch_fails_its_day_alone_naming_the_file_and_a_refetch_replaces_it(tmp_path, instance):
    days_dir = tmp_path / "served"
    days = fixture_days(days_dir, 3, START)
    home = tmp_path / "home"
    raw = home / "raw" / "daily_papers"
    backfill = {"papers/backfill": "cli-test"}  # a later run of the same backfill reuses its fetches
    with FakeHFServer(days_dir) as server:
        assert run_range(server, home, days[0], days[-1], instance, tags=backfill).success
        before = published(home, "SELECT * FROM papers ORDER BY ALL")
        [fetch] = list_fetches(raw, days[1])
        truncate_first_page(fetch.folder)
        result = run_range(server, home, days[0], days[-1], instance, tags=backfill)
        assert not result.success
        bad_page = sorted(fetch.folder.glob("page-*.json"))[0]
        failure = last_failure(raw, days[1])
        assert failure is not None and str(bad_page) in failure["message"], failure
        assert [e.step_failure_data.error.message for e in result.all_events if e.is_step_failure][0].count(str(bad_page)) == 1
        # The other days loaded and published; the failed day kept what it had.
        materialized = {
            e.materialization.partition
            for e in result.all_events
            if e.is_step_materialization and e.asset_key == dg.AssetKey("papers")
        }
        assert materialized == {str(days[0]), str(days[2])}
        assert published(home, "SELECT * FROM papers ORDER BY ALL") == before

        refetched = run_range(server, home, days[1], days[1], instance)  # a new fetch, newer
    assert refetched.success
    assert last_failure(raw, days[1]) is None
    assert loaded_days(home) == set(days)
    assert len(read_landed_days(raw, [days[1]]).skipped) == 1
