"""`papers backfill` against a real local HTTP server of recorded days (issue: the vertical slice)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest

from hf_api.sample_replay import day_file
from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from tests.e2e.cli_helpers import REPO_ROOT, published_rows, run_papers
from tests.e2e.progress_lines import assert_plain_lines_with_real_figures, parse

pytestmark = pytest.mark.e2e
START = date(2025, 3, 3)
N_DAYS = 5
END = START + timedelta(days=N_DAYS - 1)
# The day the module's one-day home has published (the third of the range, the one that fails later).
ONE_DAY = START + timedelta(days=2)


@pytest.fixture
def served_days(tmp_path):
    days_dir = tmp_path / "served"
    return days_dir, fixture_days(days_dir, N_DAYS, START)


@pytest.fixture(scope="module")
def one_day_home(tmp_path_factory) -> Path:
    """A home after `papers backfill` of ONE_DAY alone, made once for the module; tests copy it (the
    two tests that start from one published day each ran that backfill, a `papers` process)."""
    root = tmp_path_factory.mktemp("one_day")
    days_dir, home = root / "served", root / "home"
    fixture_days(days_dir, N_DAYS, START)
    with FakeHFServer(days_dir) as server:
        done = run_papers(["backfill", "--start", str(ONE_DAY), "--end", str(ONE_DAY)], home, server.base_url)
    assert done.returncode == 0, done.output
    return home


def copy_of(home: Path, tmp_path: Path) -> Path:
    """This test's own copy of a module's home."""
    return Path(shutil.copytree(home, tmp_path / "home"))


def expected_rows(days_dir, days) -> dict[str, tuple]:
    """What the server serves, per paper: listing date, title, upvotes, comments, author names."""
    expected = {}
    for day in days:
        for item in json.loads(day_file(days_dir, day).read_text()):
            paper = item["paper"]
            expected[paper["id"]] = (
                day,
                " ".join(paper["title"].split()),
                paper["upvotes"],
                item["numComments"],
                [author["name"] for author in paper["authors"]],
            )
    return expected


def loaded_rows(home) -> dict[str, tuple]:
    rows = published_rows(
        home,
        """
        SELECT p.paper_id, p.listing_date, p.title, p.upvotes, p.num_comments,
               list(pa.name_as_listed ORDER BY pa.position)
        FROM papers p JOIN paper_authors pa USING (paper_id) GROUP BY ALL""",
    )
    return {r[0]: (r[1], r[2], r[3], r[4], r[5]) for r in rows}


def table_snapshot(home) -> dict[str, list]:
    return {t: published_rows(home, f"SELECT * FROM {t} ORDER BY ALL") for t in ("papers", "authors", "paper_authors")}


def test_backfill_loads_exactly_what_the_server_serves_through_429_and_503_and_a_rerun_changes_nothing(tmp_path, served_days):
    days_dir, days = served_days
    home = tmp_path / "home"
    # Every day's first answers are a 429 and a 503: they are retried and everything loads.
    faults = {str(day): ["429:retry-after=1", "503", "ok"] for day in days}
    with FakeHFServer(days_dir, faults=faults) as server:
        first = run_papers(["backfill", "--start", str(START), "--end", str(END)], home, server.base_url)
        assert first.returncode == 0, first.output
        statuses = [r.status for r in server.requests]
        assert statuses.count(429) >= N_DAYS and statuses.count(503) >= N_DAYS
        assert loaded_rows(home) == expected_rows(days_dir, days)
        # the search tables were rebuilt once, after the last run, over every loaded paper
        assert published_rows(home, "SELECT count(DISTINCT paper_id) FROM search_index") == published_rows(
            home, "SELECT count(*) FROM papers"
        )
        before = table_snapshot(home)
        votes_before = published_rows(home, "SELECT count(*) FROM votes")[0][0]
        server.reset_faults()
        again = run_papers(["backfill", "--start", str(START), "--end", str(END)], home, server.base_url)
        assert again.returncode == 0, again.output
    assert table_snapshot(home) == before
    # A re-fetch adds exactly one vote observation per paper, and nothing else.
    assert published_rows(home, "SELECT count(*) FROM votes")[0][0] == 2 * votes_before


def test_a_reader_holding_the_warehouse_open_never_sees_an_error_or_half_a_day(tmp_path, served_days, one_day_home):
    days_dir, days = served_days
    # One day first (ONE_DAY), so there is a published file for the readers to open.
    home = copy_of(one_day_home, tmp_path)
    stop = tmp_path / "stop"
    with FakeHFServer(days_dir) as server:
        readers = {
            mode: subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.e2e.reader_process",
                    mode,
                    str(home / "warehouse.duckdb"),
                    str(tmp_path / f"{mode}.json"),
                    str(stop),
                ],
                cwd=REPO_ROOT,
            )
            for mode in ("hold", "poll")
        }
        try:
            result = run_papers(["backfill", "--start", str(START), "--end", str(END)], home, server.base_url)
        finally:
            stop.touch()
            for reader in readers.values():
                reader.wait(timeout=60)
    assert result.returncode == 0, result.output
    per_day = {}
    for day, _title, _upvotes, _comments, authors in expected_rows(days_dir, days).values():
        papers, slots = per_day.get(str(day), (0, 0))
        per_day[str(day)] = (papers + 1, slots + len(authors))
    seen = {mode: json.loads((tmp_path / f"{mode}.json").read_text()) for mode in readers}
    for mode, record in seen.items():
        assert record["errors"] == [], mode
        assert record["snapshots"], mode
        for snapshot in record["snapshots"]:
            for day, papers, slots in snapshot:
                assert (papers, slots) == per_day[day], f"{mode} reader saw half of {day}"
    # The held connection keeps its snapshot; a fresh one sees every day after the publish.
    assert [row[0] for row in seen["hold"]["snapshots"][-1]] == [str(ONE_DAY)]
    assert [row[0] for row in seen["poll"]["snapshots"][-1]] == sorted(per_day)


def test_a_day_that_always_fails_is_reported_in_plain_lines_and_loses_nothing(tmp_path, served_days, one_day_home):
    days_dir, days = served_days
    # The bad day was loaded before (the module's one-day home): a failed re-fetch must not lose it.
    home = copy_of(one_day_home, tmp_path)
    bad = ONE_DAY
    assert bad == days[2]
    with FakeHFServer(days_dir) as server:
        before = published_rows(home, f"SELECT * FROM papers WHERE listing_date = '{bad}' ORDER BY ALL")
        server.reset_faults({str(bad): "always:503"})
        result = run_papers(["backfill", "--start", str(START), "--end", str(END)], home, server.base_url)
    assert result.returncode == 1
    assert f"{bad}:" in result.output and "503" in result.output
    assert f"papers backfill --start {bad} --end {bad}" in result.output
    # The terminal says it once in the backfill's own words: no Dagster log lines or stack traces.
    assert "STEP_FAILURE" not in result.output and "Stack Trace" not in result.output, result.output
    assert f"  {bad}: gave up after" in result.output and f"{bad}: {bad}" not in result.output
    loaded_days = {r[0] for r in published_rows(home, "SELECT DISTINCT listing_date FROM papers")}
    assert loaded_days == set(days)
    assert published_rows(home, f"SELECT * FROM papers WHERE listing_date = '{bad}' ORDER BY ALL") == before
    # Into a pipe, the progress is plain lines, one per day and event, with the real figures.
    per_day: dict = {}
    for day, *_ in expected_rows(days_dir, days).values():
        per_day[day] = per_day.get(day, 0) + 1
    loaded = dict(published_rows(home, "SELECT listing_date, count(*) FROM papers GROUP BY 1"))
    assert_plain_lines_with_real_figures(result.output, days, bad, per_day, loaded)


def test_more_than_a_quarter_of_small_days_loads_in_one_run_each_day_fetched_once_by_the_lander(tmp_path):
    from landing.raw_store import list_fetches
    from orchestration.partitions import MAX_PARTITIONS_PER_RUN

    days = fixture_days(tmp_path / "served", MAX_PARTITIONS_PER_RUN + 2, START)
    home = tmp_path / "home"
    with FakeHFServer(tmp_path / "served") as server:
        done = run_papers(["backfill", "--start", str(days[0]), "--end", str(days[-1])], home, server.base_url)
        assert done.returncode == 0, done.output
        hits = server.hits
    assert hits == {day.isoformat(): 1 for day in days}  # no day fetched twice
    raw_dir = home / "raw" / "daily_papers"
    # Every day was landed by the backfill's lander process (pipeline/lander.py), none by a run.
    [backfill] = {list_fetches(raw_dir, day)[0].tags["backfill"] for day in days}
    assert {list_fetches(raw_dir, day)[0].tags["run_id"] for day in days} == {f"{backfill}/lander"}
    assert f"backfill id {backfill}" in done.output
    assert published_rows(home, "SELECT count(DISTINCT listing_date) FROM papers") == [(len(days),)]
    # Planned as 2 runs of the policy's 92 days; the lander's first week showed the days small
    # (orchestration/runs/backfill.py), so they loaded in one run, then the search run.
    assert "94 day(s): 2 run(s) planned" in done.output
    with closing(sqlite3.connect(home / "dagster" / "history" / "runs.db")) as runs:
        assert dict(runs.execute("SELECT pipeline_name, count(*) FROM runs GROUP BY 1")) == {
            "daily_papers_job": 1,
            "search_tables_job": 1,
        }
    # The progress counts every day fetched once.
    lines = [parse(line) for line in done.output.splitlines() if line.startswith("day=")]
    assert sorted(day for day, event, _, _ in lines if event == "fetched") == [str(day) for day in days]
    assert lines[-1][3]["fetched"] == lines[-1][3]["loaded"] == str(len(days))
