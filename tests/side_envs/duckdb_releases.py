"""Run Python code under another DuckDB release: `uv run --no-project --with duckdb==X`.

uv installs that release from the package registry into its cache once; later runs reuse it.
A release that cannot be installed (no registry, no uv) skips the test that asked for it and
says why.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
UV = REPO_ROOT / ".tools" / "bin" / "uv"
DUCKDB_2 = "2.0.0"  # what wrote the project's warehouses before the pin
DUCKDB_OLDER = "1.4.2"  # the oldest release the README says opens the published file (1.4.0 and 1.4.1
# open it, but fail on views and macros built on CTEs: "Table with name paper_metrics does not exist")


def uv() -> str:
    found = str(UV) if UV.exists() else shutil.which("uv")
    if found is None:
        pytest.skip("uv is not installed (python3 dev.py setup installs it into .tools/)")
    return found


def ensure_release(version: str) -> None:
    """Install duckdb==version into uv's cache, or skip the test saying why it could not."""
    done = subprocess.run(
        [
            uv(),
            "run",
            "--quiet",
            "--no-project",
            "--with",
            f"duckdb=={version}",
            "python",
            "-c",
            "import duckdb; print(duckdb.__version__)",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0 or done.stdout.strip() != version:
        pytest.skip(f"duckdb {version} could not be installed from the registry: {done.stderr.strip()[-300:]}")


def run_with_duckdb(version: str, code: str, *args: str, timeout: float = 300) -> str:
    """Run `python -c code args...` under duckdb==version from the repo root; its stdout."""
    done = subprocess.run(
        [uv(), "run", "--quiet", "--no-project", "--with", f"duckdb=={version}", "python", "-c", code, *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise AssertionError(f"duckdb {version} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout
