"""A `streamlit run dashboard/app.py` server over a seeded warehouse, for browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.dashboard.seed import seed_warehouse

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def start_dashboard(home: Path, prepare: Callable[[Path], object] | None = None) -> Iterator[tuple[str, Path]]:
    """Seed `home/warehouse.duckdb` (then `prepare(path)`), serve the dashboard on it until the
    block ends; yields (base_url, db path)."""
    db = seed_warehouse(home / "warehouse.duckdb")
    if prepare:
        prepare(db)
    port = free_port()
    env = {**os.environ, "PAPERS_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    log_path = home / "streamlit.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.headless", "true",
             "--server.port", str(port), "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/_stcore/health", timeout=2).text == "ok":
                        break
                except httpx.TransportError:
                    pass
                assert server.poll() is None, log_path.read_text()
                time.sleep(0.3)
            else:
                pytest.fail(f"streamlit did not become healthy: {log_path.read_text()}")
            yield base, db
        finally:
            server.terminate()
            server.wait(timeout=20)
