"""What the browser and dashboard tests share: a free port, Debian chromium's launch arguments, and a
`streamlit run dashboard/app.py` server over a seeded warehouse, waited on until healthy."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.streamlit_health import became_healthy
from tests.dashboard.seed import seed_warehouse

REPO_ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def streamlit_command(port: int, *extra: str) -> list[str]:
    """`streamlit run dashboard/app.py` headless on `port` (run it from the repo root)."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard/app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *extra,
    ]


def wait_until_healthy(server: subprocess.Popen, port: int, log_path: Path | None = None, seconds: float = 60) -> None:
    """Return once the Streamlit server on `port` answers its health check; kill it and fail the test
    (with its log) if it exits or stays silent for `seconds`."""
    if became_healthy(server, port, seconds):
        return
    log = log_path.read_text() if log_path and log_path.exists() else ""
    pytest.fail(f"streamlit did not become healthy: {log}")


@contextmanager
def serve_dashboard(home: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """Serve the dashboard on the warehouse under `home` (PAPERS_HOME) until the block ends; yields its
    base URL. `env` replaces the process environment (e.g. a warehouse backend's variables)."""
    port = free_port()
    env = {**(env or os.environ), "PAPERS_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    log_path = home / "streamlit.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(streamlit_command(port), cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(server, port, log_path)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            server.wait(timeout=20)


@contextmanager
def start_dashboard(home: Path, prepare: Callable[[Path], object] | None = None) -> Iterator[tuple[str, Path]]:
    """Seed `home/warehouse.duckdb` (then `prepare(path)`), serve the dashboard on it until the
    block ends; yields (base_url, db path)."""
    db = seed_warehouse(home / "warehouse.duckdb")
    if prepare:
        prepare(db)
    with serve_dashboard(home) as base:
        yield base, db
