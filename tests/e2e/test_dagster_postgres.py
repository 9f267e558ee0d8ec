"""The production profile: a UI backfill with Dagster's storage in a real PostgreSQL server.

The test starts its own PostgreSQL (bench/postgres_server.py). `.ci/run` installs Debian's
postgresql (dev.py); elsewhere the test skips when the binaries are missing, and fails when
CI=true so CI can never skip it silently.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy

from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from tests.e2e.dagster_harness import (
    REPO_ROOT,
    DagsterDev,
    published_papers,
    served_papers,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.timeout(600)]
POSTGRES_PROFILE = REPO_ROOT / "deploy" / "dagster.postgres.yaml"
DB_NAME = "papers_dagster"
START, N_DAYS = date(2025, 4, 1), 10


@pytest.fixture(scope="module")
def postgres_url(postgres_server):
    return postgres_server.dagster_env(postgres_server.create_database(DB_NAME))


def test_a_ui_backfill_runs_with_dagster_storage_in_postgresql(tmp_path, postgres_server, postgres_url):
    served = fixture_days(tmp_path / "served", N_DAYS, START)
    window = [day.isoformat() for day in served]
    env = {**postgres_url, "HF_MAX_ATTEMPTS": "4", "HF_BACKOFF_MAX_S": "0.3", "HF_REQUESTS_PER_SECOND": "0"}
    with FakeHFServer(tmp_path / "served") as hf:
        env["HF_API_BASE_URL"] = hf.base_url
        with DagsterDev(tmp_path / "home", env=env, profile=POSTGRES_PROFILE) as dagster:
            backfill = dagster.launch_backfill(window)
            result = dagster.wait_for_backfill(backfill)
            runs = dagster.runs(backfill)
    assert result["status"] == "COMPLETED_SUCCESS"
    assert published_papers(tmp_path / "home") == served_papers(tmp_path / "served", window)

    engine = sqlalchemy.create_engine(postgres_server.sqlalchemy_url(DB_NAME))
    with engine.connect() as con:
        stored = {row[0] for row in con.execute(sqlalchemy.text("SELECT run_id FROM runs"))}
        events = con.execute(
            sqlalchemy.text("SELECT count(*) FROM event_logs WHERE run_id = :run"), {"run": runs[0]["runId"]}
        ).scalar_one()
    engine.dispose()
    # The runs and their event logs live in PostgreSQL, not in SQLite files under DAGSTER_HOME.
    assert {run["runId"] for run in runs} <= stored and events > 0
    assert not list((tmp_path / "home" / "dagster").rglob("*.db"))
