"""Running the real `papers` command in a subprocess against a fake HF server."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[2]
PAPERS = Path(sys.executable).parent / "papers"


@dataclass
class CliResult:
    returncode: int
    output: str


def papers_env(papers_home: Path, base_url: str) -> dict[str, str]:
    """The environment of a `papers` process with a private PAPERS_HOME/DAGSTER_HOME."""
    env = {
        **os.environ,
        "PAPERS_HOME": str(papers_home),
        "DAGSTER_HOME": str(papers_home / "dagster"),
        "HF_API_BASE_URL": base_url,
        # Fast retries: the fake server's faults are short, and tests should not wait minutes.
        "HF_MAX_ATTEMPTS": "4",
        "HF_BACKOFF_MAX_S": "0.2",
        "HF_REQUESTS_PER_SECOND": "0",
    }
    env.pop("HF_TOKEN", None)
    return env


def run_papers(
    args: list[str], papers_home: Path, base_url: str, timeout: float = 600, extra_env: dict[str, str] | None = None
) -> CliResult:
    """Run `papers ARGS` with a private PAPERS_HOME/DAGSTER_HOME pointed at `base_url`."""
    env = {**papers_env(papers_home, base_url), **(extra_env or {})}
    done = subprocess.run(
        [str(PAPERS), *args],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return CliResult(done.returncode, done.stdout + done.stderr)


def published_rows(papers_home: Path, sql: str) -> list[tuple]:
    """Rows from the published warehouse, opened read-only as any reader would."""
    with duckdb.connect(str(papers_home / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()
