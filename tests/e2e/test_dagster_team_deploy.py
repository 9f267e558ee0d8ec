"""Dagster's production shape end to end: a code server, `dagster-webserver` and `dagster-daemon` as
three processes on a real PostgreSQL instance (tests/e2e/dagster_team.py), a backfill launched
through the webserver's GraphQL API, run by the daemon in run workers of their own, and the
published warehouse read back through `papers sql` and the dashboard in real Chromium.

One set of processes and one backfill per warehouse backend, shared by the module's tests.
`WAREHOUSES` maps a backend's name to the environment variables that select it (built from the
PostgreSQL test server and a folder of the module); the code server and the readers get the same.
The team shape runs DuckLake (catalog in the same PostgreSQL server, its own database; Parquet files
in a folder): several run workers and readers on one warehouse is what it is for. (This file also
holds what the former test_dagster_postgres.py checked with `dagster dev` on the same profile and the
local file: the backfill succeeds, the published rows equal the served ones, runs and their events are
in PostgreSQL, no SQLite file under DAGSTER_HOME; the warehouse backend is independent of where
Dagster keeps its runs, and the local file under Dagster is tests/e2e/test_dagster_ui_backfill.py.)
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy

from bench.postgres_server import PostgresServer
from hf_api.sample_replay import day_file
from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from tests.e2e.cli_helpers import PAPERS, REPO_ROOT
from tests.e2e.dagster_harness import served_papers
from tests.e2e.dagster_team import DagsterTeam
from tests.e2e.dashboard_server import serve_dashboard

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.browser, pytest.mark.timeout(1800)]

WAREHOUSES: dict[str, Callable[[PostgresServer, Path], dict[str, str]]] = {
    "ducklake": lambda pg, folder: {
        "PAPERS_DUCKLAKE_CATALOG": "postgres:" + pg.libpq_dsn(pg.create_database("team_lake")),
        "PAPERS_DUCKLAKE_DATA_PATH": str(folder / "lake"),
    },
}
START, N_DAYS = date(2025, 4, 1), 8
# Days 4 and 5 are left out: the backfill's two ranges become two runs, each in its own worker.
GAP = {START + timedelta(days=4), START + timedelta(days=5)}
HF_FAST = {"HF_MAX_ATTEMPTS": "4", "HF_BACKOFF_MAX_S": "0.3", "HF_REQUESTS_PER_SECOND": "0"}


@dataclass
class Deployment:
    """What the module's backfill left: where, what was served, the runs and who ran them."""

    papers_home: Path
    served_dir: Path
    window: list[str]
    reader_env: dict[str, str]
    backfill: dict
    runs: list[dict]
    worker_pids: dict[str, list[int]]
    server_pids: set[int]
    code_server_port: int
    dagster_db_url: str


@pytest.fixture(scope="module", params=sorted(WAREHOUSES))
def warehouse_env(request, postgres_server, tmp_path_factory) -> dict[str, str]:
    """The environment variables that select the warehouse backend under test."""
    return WAREHOUSES[request.param](postgres_server, tmp_path_factory.mktemp(f"warehouse_{request.param}"))


@pytest.fixture(scope="module")
def deployment(postgres_server, warehouse_env, tmp_path_factory) -> Deployment:
    """The three processes on PostgreSQL, and one backfill of the fixture days (minus GAP) through them."""
    root = tmp_path_factory.mktemp("team")
    served = fixture_days(root / "served", N_DAYS, START)
    window = [day.isoformat() for day in served if day not in GAP]
    dagster_db = postgres_server.create_database(f"dagster_{root.name.replace('-', '_')}")
    home = root / "home"
    home.mkdir()
    with FakeHFServer(root / "served") as hf:
        code_env = {**warehouse_env, **HF_FAST, "HF_API_BASE_URL": hf.base_url, "DAGSTER_EVENT_BATCH_SIZE": "1000"}
        with DagsterTeam(home, code_env=code_env, instance_env=postgres_server.dagster_env(dagster_db)) as team:
            # Before any run: the three and what they started for themselves (the code server's gRPC child).
            server_pids = team.service_pids()
            backfill_id = team.launch_backfill(window)
            result = team.wait_for_backfill(backfill_id, timeout=1200)
            runs = team.runs(backfill_id)
            yield Deployment(
                papers_home=home,
                served_dir=root / "served",
                window=window,
                reader_env={**os.environ, "PAPERS_HOME": str(home), **warehouse_env},
                backfill=result,
                runs=runs,
                worker_pids={run["runId"]: team.run_worker_pids(run["runId"]) for run in runs},
                server_pids=server_pids,
                code_server_port=team.grpc_port,
                dagster_db_url=postgres_server.sqlalchemy_url(dagster_db),
            )


def test_the_webserver_backfill_ran_each_run_in_a_worker_of_its_own(deployment):
    assert deployment.backfill["status"] == "COMPLETED_SUCCESS", deployment.backfill
    assert len(deployment.runs) == 2 and {run["status"] for run in deployment.runs} == {"SUCCESS"}
    pids = [deployment.worker_pids[run["runId"]] for run in deployment.runs]
    # One worker process per run, neither the code server, the webserver nor the daemon.
    assert all(len(run_pids) == 1 for run_pids in pids), pids
    assert len({run_pids[0] for run_pids in pids}) == 2
    assert not {run_pids[0] for run_pids in pids} & deployment.server_pids


def test_runs_and_events_are_stored_in_postgresql(deployment):
    run_ids = [run["runId"] for run in deployment.runs]
    engine = sqlalchemy.create_engine(deployment.dagster_db_url)
    with engine.connect() as con:
        stored = {row[0] for row in con.execute(sqlalchemy.text("SELECT run_id FROM runs"))}
        # The default run launcher's mark on the run record: the code server it asked to start the run.
        launched_by = con.execute(
            sqlalchemy.text("SELECT run_id, value FROM run_tags WHERE key = '.dagster/grpc_info' AND run_id = ANY(:ids)"),
            {"ids": run_ids},
        ).all()
        worker_events = con.execute(
            sqlalchemy.text(
                "SELECT count(DISTINCT run_id) FROM event_logs "
                "WHERE run_id = ANY(:ids) AND event LIKE '%Started process for run%'"
            ),
            {"ids": run_ids},
        ).scalar_one()
    engine.dispose()
    assert set(run_ids) <= stored
    assert {run_id: json.loads(value)["port"] for run_id, value in launched_by} == dict.fromkeys(
        run_ids, deployment.code_server_port
    )
    assert worker_events == len(run_ids)
    # Nothing went to SQLite files under DAGSTER_HOME.
    assert not list((deployment.papers_home / "dagster").rglob("*.db"))


def test_papers_sql_reads_the_backfilled_days(deployment):
    query = (
        "SELECT p.paper_id, p.listing_date::VARCHAR AS day, count(pa.position) AS slots "
        "FROM papers p LEFT JOIN paper_authors pa USING (paper_id) GROUP BY ALL"
    )
    done = subprocess.run(
        [str(PAPERS), "sql", "--csv", "--max-rows", "10000", query],
        env=deployment.reader_env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = {row["paper_id"]: (row["day"], int(row["slots"])) for row in csv.DictReader(io.StringIO(done.stdout))}
    assert rows == served_papers(deployment.served_dir, deployment.window)


def served_cards(served_dir: Path, day: str) -> list[tuple[str, str]]:
    """(paper id, title) of each paper the fake server serves for `day`, sorted; titles with their
    line breaks and runs of spaces made single spaces, as the warehouse stores them."""
    items = json.loads(day_file(served_dir, date.fromisoformat(day)).read_text())
    return sorted((item["paper"]["id"], " ".join(item["paper"]["title"].split())) for item in items)


SHOWN_CARDS = """() => [...document.querySelectorAll('.pc-title a')]
    .map(a => [new URL(a.href).searchParams.get('id'), a.textContent])"""


def test_the_dashboard_shows_the_backfilled_papers(deployment, browser):
    with serve_dashboard(deployment.papers_home, deployment.reader_env) as base:
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.set_default_timeout(60_000)
        try:
            for day in (deployment.window[0], deployment.window[-1]):
                expected = served_cards(deployment.served_dir, day)
                page.goto(f"{base}/browse?view=day&date={day}")
                page.wait_for_function("n => document.querySelectorAll('.pc-title a').length === n", arg=len(expected))
                assert sorted(tuple(card) for card in page.evaluate(SHOWN_CARDS)) == expected
        finally:
            page.close()
