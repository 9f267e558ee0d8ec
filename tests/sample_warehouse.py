"""The bundled sample, published the way a user publishes it: `papers up --no-serve` in a new home."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def publish_sample(home: Path) -> Path:
    """Run `papers up --no-serve` with PAPERS_HOME=`home` on the sample; returns the published file."""
    env = {**os.environ, "PAPERS_HOME": str(home), "DAGSTER_HOME": str(home / "dagster"), "HF_API_BASE_URL": "sample"}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "papers"), "up", "--no-serve"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return home / "warehouse.duckdb"
