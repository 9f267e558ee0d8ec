"""The production profile: a UI backfill with Dagster's storage in a real PostgreSQL server.

The test starts its own PostgreSQL (initdb into a temporary folder, a free port on 127.0.0.1, its
unix socket in the same folder), as the `postgres` user when run as root since initdb refuses
root. `.ci/run` installs Debian's postgresql (dev.py); elsewhere the test skips when the binaries
are missing, and fails when CI=true so CI can never skip it silently.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy

from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from tests.e2e.dagster_harness import (
    REPO_ROOT,
    DagsterDev,
    free_port,
    published_papers,
    served_papers,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.timeout(600)]
POSTGRES_PROFILE = REPO_ROOT / "deploy" / "dagster.postgres.yaml"
DB_USER, DB_NAME = "dagster", "papers_dagster"
START, N_DAYS = date(2025, 4, 1), 10


def postgres_bin_dir() -> Path | None:
    """The newest Debian PostgreSQL bin folder, else wherever initdb is on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_postgres_user(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; Debian's package creates the `postgres` user.
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="module")
def postgres_url():
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        reason = (
            "PostgreSQL binaries (initdb, pg_ctl) not found; install them with "
            "`apt-get install -y postgresql` (python3 dev.py test does so as root)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    # Under /tmp, not pytest's tmp_path: the postgres user cannot enter root's 0700 folders.
    root = Path(tempfile.mkdtemp(prefix="papers-pg-"))
    data, port = root / "data", free_port()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")

    def run(*cmd):
        return subprocess.run(_as_postgres_user([str(c) for c in cmd]), check=True, capture_output=True, text=True, timeout=120)

    run(bin_dir / "initdb", "-D", data, "-U", DB_USER, "--auth=trust", "-E", "UTF8")
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(bin_dir / "pg_ctl", "-D", data, "-o", options, "-l", root / "postgres.log", "-w", "start")
    try:
        run(bin_dir / "createdb", "-h", "127.0.0.1", "-p", port, "-U", DB_USER, DB_NAME)
        yield {
            "DAGSTER_PG_HOST": "127.0.0.1",
            "DAGSTER_PG_PORT": str(port),
            "DAGSTER_PG_USER": DB_USER,
            "DAGSTER_PG_PASSWORD": "unused-with-trust",
            "DAGSTER_PG_DB": DB_NAME,
        }
    finally:
        subprocess.run(
            _as_postgres_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(root, ignore_errors=True)


def test_a_ui_backfill_runs_with_dagster_storage_in_postgresql(tmp_path, postgres_url):
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

    url = f"postgresql+psycopg2://{DB_USER}@127.0.0.1:{postgres_url['DAGSTER_PG_PORT']}/{DB_NAME}"
    engine = sqlalchemy.create_engine(url)
    with engine.connect() as con:
        stored = {row[0] for row in con.execute(sqlalchemy.text("SELECT run_id FROM runs"))}
        events = con.execute(
            sqlalchemy.text("SELECT count(*) FROM event_logs WHERE run_id = :run"), {"run": runs[0]["runId"]}
        ).scalar_one()
    engine.dispose()
    # The runs and their event logs live in PostgreSQL, not in SQLite files under DAGSTER_HOME.
    assert {run["runId"] for run in runs} <= stored and events > 0
    assert not list((tmp_path / "home" / "dagster").rglob("*.db"))
