"""Running a bench worker in a fresh Python process and reading its one-line JSON answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from warehouse.settings import REPO_ROOT


class WorkerFailed(RuntimeError):
    """A worker process exited non-zero or printed no JSON result."""


def run_worker(module: str, args: list[str], env: dict[str, str] | None = None,
               timeout_s: float = 3600) -> dict:
    """`python -m module args` with `env` added; its last stdout line as JSON plus wall_s."""
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=REPO_ROOT, capture_output=True, text=True,
        env={**os.environ, **(env or {})}, timeout=timeout_s,
    )
    wall = time.perf_counter() - started
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise WorkerFailed(f"{module} {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    return {**json.loads(lines[-1]), "wall_s": wall}


def product_env(home: Path, base_url: str) -> dict[str, str]:
    """The environment a product process reads: its own PAPERS_HOME and DAGSTER_HOME, the local
    server as the API, and no client-side rate limit (the server is local)."""
    return {
        "PAPERS_HOME": str(home), "DAGSTER_HOME": str(home / "dagster"),
        "HF_API_BASE_URL": base_url, "HF_REQUESTS_PER_SECOND": "0",
        "HF_TOKEN": "",
    }
