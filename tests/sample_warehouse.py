"""The bundled sample, published the way a user publishes it: `papers up --no-serve` in a new home.

Five test files need that home (`sample_home` in tests/conftest.py); it is made once per suite run and
copied (see `shared_sample_home`).
"""

from __future__ import annotations

import fcntl
import os
import shutil
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


def shared_sample_home(run_temp: Path) -> Path:
    """The PAPERS_HOME `papers up --no-serve` leaves on the sample, made once in `run_temp` (a
    folder every pytest-xdist worker of this run sees): the first worker to ask makes it while the
    others wait on a lock. Callers copy what they use and never write here."""
    home = run_temp / "sample_home"
    with open(run_temp / "sample_home.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not home.exists():
            # Made beside and renamed: a failed `papers up` leaves no half home for the next caller.
            making = run_temp / f"sample_home.{os.getpid()}"
            shutil.rmtree(making, ignore_errors=True)
            publish_sample(making)
            making.rename(home)
    return home
