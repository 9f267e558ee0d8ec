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
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from hf_api.sample_replay import day_file
from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from tests.e2e.cli_helpers import PAPERS, REPO_ROOT, papers_env
from tests.e2e.ducklake_helpers import all_tables, lake_answers, lake_env, lake_tables, new_lake, run_papers_on_lake
from warehouse import ducklake
from warehouse.paths import DuckLakeLocation

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


@dataclass
class TwoBackfills:
    """What the module's two concurrent backfills left: the lake, what each process said, what
    readers saw while they ran, and the lake's answers right after."""

    lake: DuckLakeLocation
    days_dir: Path
    second_home: Path  # the backfill of DAYS[4:]: its raw files are what the SIGKILL test reloads
    codes: tuple[int | None, int | None]
    logs: str
    expected: dict[date, int]
    answers: dict[str, list[tuple]]
    seen: dict


@pytest.fixture(scope="module")
def two_backfills(postgres_server, tmp_path_factory) -> TwoBackfills:
    """Two team members (two homes, two Dagster instances: no shared writer pool) backfill the two
    halves of DAYS on one new lake at once, while a reader watches each published snapshot.

    Module-scoped: the SIGKILL test starts from the whole lake this leaves (a third 8-day `papers
    backfill` of its own cost ~10 s of CPU)."""
    root = tmp_path_factory.mktemp("concurrent")
    days_dir = root / "served"
    fixture_days(days_dir, N_DAYS, START)
    lake = new_lake(postgres_server, "lake_concurrent", root / "lake-data")
    watcher = SnapshotWatcher(lake)
    watcher.start()
    with FakeHFServer(days_dir) as server:
        first = start_backfill(DAYS[0], DAYS[3], root / "a", server.base_url, lake, root / "a.log")
        second = start_backfill(DAYS[4], DAYS[7], root / "b", server.base_url, lake, root / "b.log")
        codes = first.wait(timeout=1100), second.wait(timeout=1100)
    watcher.stop.set()
    watcher.join(timeout=30)
    answers = (
        lake_answers(lake, {"per_day": PER_DAY, "searchable": "SELECT count(DISTINCT paper_id) FROM search_index", **KEY_CHECKS})
        if codes == (0, 0)
        else {}
    )
    return TwoBackfills(
        lake=lake,
        days_dir=days_dir,
        second_home=root / "b",
        codes=codes,
        logs=(root / "a.log").read_text() + (root / "b.log").read_text(),
        expected=served_counts(days_dir),
        answers=answers,
        seen=dict(watcher.seen),
    )


def test_two_backfills_of_different_ranges_at_once_both_succeed_and_readers_see_whole_days(two_backfills):
    expected, answers = two_backfills.expected, two_backfills.answers
    assert two_backfills.codes == (0, 0), two_backfills.logs
    assert answers["per_day"] == sorted(expected.items())
    assert_keys_hold(answers)
    # the last search rebuild saw both ranges
    assert answers["searchable"] == [(sum(expected.values()),)]
    # every published snapshot a reader saw held whole days only
    assert two_backfills.seen, "the reader never saw a published snapshot"
    for snapshot, per_day in two_backfills.seen.items():
        assert all(expected[day] == count for day, count in per_day.items()), snapshot


def test_a_writer_sigkilled_inside_its_transaction_leaves_the_lake_as_it_was_and_a_rerun_completes(two_backfills):
    # The lake the two backfills left, all 8 days published; the second one's home holds DAYS[4:].
    assert two_backfills.codes == (0, 0), two_backfills.logs
    lake, home, days_dir = two_backfills.lake, two_backfills.second_home, two_backfills.days_dir
    data_dir = Path(lake.data_path)
    before = lake_tables(lake)
    files_before = set(data_dir.rglob("*.parquet"))
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
        assert set(data_dir.rglob("*.parquet")) - files_before
    finally:
        stuck.send_signal(signal.SIGKILL)
        stuck.wait(timeout=30)
    con = ducklake.connect_reader(lake)  # one lake open for both looks (~1 s of CPU each)
    try:
        assert all_tables(con) == before
        assert_keys_hold({table: con.execute(sql).fetchall() for table, sql in KEY_CHECKS.items()})
    finally:
        con.close()
    with FakeHFServer(days_dir) as server:
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
