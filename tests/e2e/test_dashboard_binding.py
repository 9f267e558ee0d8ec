"""The dashboard listens on loopback only unless told otherwise: real `streamlit run` processes,
their listening sockets read with psutil, and a connection tried on a non-loopback address of
this machine."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from papers_cli.cmd_up import dashboard_command
from papers_cli.main import build_parser
from tests.dashboard.seed import seed_warehouse
from tests.e2e.dashboard_server import free_port, wait_until_healthy

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
APP = REPO_ROOT / "dashboard" / "app.py"


def non_loopback_ipv4() -> str:
    """An IPv4 address of this machine that is not loopback (skips when it has none)."""
    for addresses in psutil.net_if_addrs().values():
        for address in addresses:
            if address.family == socket.AF_INET and not address.address.startswith("127."):
                return address.address
    pytest.skip("this machine has no non-loopback IPv4 address to try")


def listening_ips(pid: int) -> set[str]:
    """The local addresses process `pid` accepts connections on."""
    return {c.laddr.ip for c in psutil.Process(pid).net_connections(kind="inet") if c.status == psutil.CONN_LISTEN}


def reachable(address: str, port: int) -> bool:
    try:
        with socket.create_connection((address, port), timeout=3):
            return True
    except OSError:
        return False


def serve(tmp_path: Path, command: list[str]):
    """Start `command` from the repo root on a seeded warehouse; wait until healthy; return the process."""
    home = tmp_path / "papers_home"
    seed_warehouse(home / "warehouse.duckdb")
    env = {**os.environ, "PAPERS_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    log = tmp_path / "streamlit.log"
    server = subprocess.Popen(
        command + ["--server.fileWatcherType", "none"], cwd=REPO_ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    wait_until_healthy(server, int(command[command.index("--server.port") + 1]), log)
    return server


@pytest.fixture
def started(tmp_path):
    """Start dashboards; every one is stopped after the test."""
    servers = []

    def start(command: list[str]):
        servers.append(serve(tmp_path, command))
        return servers[-1]

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=20)


def test_papers_up_starts_the_dashboard_on_loopback_only(started):
    args = build_parser().parse_args(["up"])
    port = free_port()
    server = started(dashboard_command(Path(sys.executable).parent, APP, args.dashboard_host, port))
    assert listening_ips(server.pid) == {"127.0.0.1"}
    assert reachable("127.0.0.1", port)
    assert not reachable(non_loopback_ipv4(), port)


def test_streamlit_run_from_the_repo_root_listens_on_loopback_only(started):
    # No --server.address: .streamlit/config.toml decides (what README's `streamlit run` does).
    port = free_port()
    server = started(
        [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true", "--server.port", str(port)]
    )
    assert listening_ips(server.pid) == {"127.0.0.1"}
    assert not reachable(non_loopback_ipv4(), port)


def test_an_explicit_host_is_reachable_from_the_network(started):
    # The other side of the two tests above: the same checks see a dashboard bound to every interface.
    args = build_parser().parse_args(["up", "--dashboard-host", "0.0.0.0"])
    port = free_port()
    server = started(dashboard_command(Path(sys.executable).parent, APP, args.dashboard_host, port))
    assert listening_ips(server.pid) == {"0.0.0.0"}
    assert reachable(non_loopback_ipv4(), port)
