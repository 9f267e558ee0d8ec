"""Writers on a DuckLake warehouse: two backfills at once both succeed while readers see only
whole published days, and a writer SIGKILLed inside its transaction leaves the lake as it was."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date, timedelta

import pytest

from hf_api.sample_replay import day_file
from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from tests.e2e.cli_helpers import PAPERS, REPO_ROOT, papers_env
from tests.e2e.ducklake_helpers import lake_answers, lake_env, lake_tables, new_lake, run_papers_on_lake
from warehouse import ducklake

# Several `papers` processes and a PostgreSQL server: on a loaded machine this takes minutes.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1200)]
START = date(2025, 3, 3)
N_DAYS = 8
DAYS = [START + timedelta(days=i) for i in range(N_DAYS)]
KEY_CHECKS = {
    "papers": "SELECT count(*) - count(DISTINCT paper_id) FROM papers",
    "paper_authors": "SELECT count(*) - count(DISTINCT (paper_id, position)) FROM paper_authors",
    "votes": "SELECT count(*) - count(DISTINCT (paper_id, observed_at)) FROM votes",
    "authors": "SELECT count(*) - count(DISTINCT author_id) FROM authors",
    "partition_loads": "SELECT count(*) - count(DISTINCT listing_date) FROM partition_loads",
}


def served_counts(days_dir) -> dict[date, int]:
    return {day: len(json.loads(day_file(days_dir, day).read_text())) for day in DAYS}


def papers_per_day(con) -> dict[date, int]:
    return dict(con.execute("SELECT listing_date, count(*) FROM papers GROUP BY 1").fetchall())


PER_DAY = "SELECT listing_date, count(*) FROM papers GROUP BY 1 ORDER BY 1"


def assert_keys_hold(answers: dict[str, list[tuple]]) -> None:
    """No duplicate key in `answers` to KEY_CHECKS (from `lake_answers`)."""
    for table in KEY_CHECKS:
        assert answers[table] == [(0,)], table


def start_backfill(first: date, last: date, home, base_url: str, lake, log_path) -> subprocess.Popen:
    env = {**papers_env(home, base_url), **lake_env(lake)}
    with open(log_path, "w") as log:
        return subprocess.Popen(
            [str(PAPERS), "backfill", "--start", str(first), "--end", str(last)],
            env=env,
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


class SnapshotWatcher(threading.Thread):
    """Looks for a newly published snapshot over and over, and keeps what each one showed.

    One connection at the lake's head asks which snapshot is published (a catalog query); a
    snapshot is opened and read once, when it is new. Opening the newest published snapshot on
    every look (~1 s of CPU: two extension LOADs, two ATTACHes) kept this thread busy for the whole
    backfill, beside the two writers it watches."""

    def __init__(self, lake):
        super().__init__(daemon=True)
        self.lake, self.seen, self.stop = lake, {}, threading.Event()

    def run(self) -> None:
        head = None
        try:
            while not self.stop.is_set():
                if head is None:
                    try:
                        head = ducklake.connect_head(self.lake)
                    except ducklake.NoPublishedSnapshot:
                        time.sleep(0.2)
                        continue
                snapshot = ducklake.published_snapshot(head)
                if snapshot is not None and snapshot not in self.seen:
                    con = ducklake.connect_reader(self.lake, snapshot)
                    try:
                        self.seen[snapshot] = papers_per_day(con)
                    finally:
                        con.close()
                time.sleep(0.1)
        finally:
            if head is not None:
                head.close()


def test_two_backfills_of_different_ranges_at_once_both_succeed_and_readers_see_whole_days(tmp_path, postgres_server):
    days_dir = tmp_path / "served"
    fixture_days(days_dir, N_DAYS, START)
    lake = new_lake(postgres_server, "lake_concurrent", tmp_path / "lake-data")
    expected = served_counts(days_dir)
    watcher = SnapshotWatcher(lake)
    watcher.start()
    # Two team members (two homes, two Dagster instances: no shared writer pool) on one lake.
    with FakeHFServer(days_dir) as server:
        first = start_backfill(DAYS[0], DAYS[3], tmp_path / "a", server.base_url, lake, tmp_path / "a.log")
        second = start_backfill(DAYS[4], DAYS[7], tmp_path / "b", server.base_url, lake, tmp_path / "b.log")
        codes = first.wait(timeout=1100), second.wait(timeout=1100)
    watcher.stop.set()
    watcher.join(timeout=30)
    assert codes == (0, 0), (tmp_path / "a.log").read_text() + (tmp_path / "b.log").read_text()
    answers = lake_answers(
        lake, {"per_day": PER_DAY, "searchable": "SELECT count(DISTINCT paper_id) FROM search_index", **KEY_CHECKS}
    )
    assert answers["per_day"] == sorted(expected.items())
    assert_keys_hold(answers)
    # the last search rebuild saw both ranges
    assert answers["searchable"] == [(sum(expected.values()),)]
    # every published snapshot a reader saw held whole days only
    assert watcher.seen, "the reader never saw a published snapshot"
    for snapshot, per_day in watcher.seen.items():
        assert all(expected[day] == count for day, count in per_day.items()), snapshot


def test_a_writer_sigkilled_inside_its_transaction_leaves_the_lake_as_it_was_and_a_rerun_completes(tmp_path, postgres_server):
    days_dir = tmp_path / "served"
    fixture_days(days_dir, N_DAYS, START)
    lake = new_lake(postgres_server, "lake_killed", tmp_path / "lake-data")
    home = tmp_path / "home"
    with FakeHFServer(days_dir) as server:
        loaded = run_papers_on_lake(["backfill", "--start", str(DAYS[0]), "--end", str(DAYS[-1])], home, server.base_url, lake)
        assert loaded.returncode == 0, loaded.output
        before = lake_tables(lake)
        files_before = set((tmp_path / "lake-data").rglob("*.parquet"))
        stuck = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.ducklake_stuck_writer", str(home / "raw" / "daily_papers"), *map(str, DAYS[4:])],
            env={**os.environ, **lake_env(lake), "PAPERS_HOME": str(home)},
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert stuck.stdout is not None and stuck.stdout.readline().strip() == "IN TRANSACTION"
            # its deletes and inserts are written (files under the data path), not committed
            assert set((tmp_path / "lake-data").rglob("*.parquet")) - files_before
        finally:
            stuck.send_signal(signal.SIGKILL)
            stuck.wait(timeout=30)
        assert lake_tables(lake) == before
        assert_keys_hold(lake_answers(lake, KEY_CHECKS))
        rerun = run_papers_on_lake(["backfill", "--start", str(DAYS[4]), "--end", str(DAYS[-1])], home, server.base_url, lake)
        assert rerun.returncode == 0, rerun.output
    answers = lake_answers(lake, {"per_day": PER_DAY, **KEY_CHECKS})
    assert answers["per_day"] == sorted(served_counts(days_dir).items())
    assert_keys_hold(answers)


def test_writers_creating_the_same_new_lake_at_once_all_open_it(tmp_path, postgres_server):
    """Two backfills that start together on an empty catalog both create DuckLake's catalog
    tables; PostgreSQL refuses the second CREATE TABLE (a unique violation in pg_type). The loser
    opens the lake the winner created (it failed a CI run before: all four days of one backfill)."""
    from warehouse.db import connect_lake_writer

    def open_writer(lake, start: threading.Barrier, errors: list[BaseException]) -> None:
        start.wait()
        try:
            connect_lake_writer(lake).close()
        except BaseException as error:  # reported below, with the round
            errors.append(error)

    for round_ in range(4):
        lake = new_lake(postgres_server, f"lake_race_{round_}", tmp_path / f"data_{round_}")
        start = threading.Barrier(3)
        errors: list[BaseException] = []
        writers = [threading.Thread(target=open_writer, args=(lake, start, errors)) for _ in range(3)]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join()
        assert errors == [], f"round {round_}: {errors}"
        con = connect_lake_writer(lake)  # one lake, whole: its schema is there once
        try:
            assert con.execute("SELECT count(*) FROM papers").fetchall() == [(0,)]
        finally:
            con.close()
