"""Dagster's production shape in subprocesses: a gRPC code server, `dagster-webserver` and
`dagster-daemon`, as docs/operations.md tells a user to start them.

    with DagsterTeam(papers_home, code_env={...}, instance_env=postgres.dagster_env(db)) as team:
        backfill_id = team.launch_backfill(["2025-04-01", ...])   # GraphQL, as the UI sends it
        team.wait_for_backfill(backfill_id)

All three share one `DAGSTER_HOME` holding deploy/dagster.postgres.yaml as its dagster.yaml and
deploy/workspace.yaml (pointed at the code server's free port) as its workspace.yaml. Only the code
server gets the product's environment (`PAPERS_HOME`, `HF_*`, the warehouse's variables): it and
the run workers it starts are the only processes that read the warehouse or the HF API. Each
process has its own group and log; teardown stops the three and any run worker left behind.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import psutil
import yaml

from tests.e2e.dagster_harness import (
    DAGSTER,
    QUICK_TICKS,
    REPO_ROOT,
    WebserverClient,
    free_port,
    prepare_dagster_home,
    stop_process_group,
    wait_until,
)

POSTGRES_PROFILE = REPO_ROOT / "deploy" / "dagster.postgres.yaml"
SHIPPED_WORKSPACE = REPO_ROOT / "deploy" / "workspace.yaml"
BIN = Path(sys.executable).parent
# Variables of the product, which the webserver and the daemon must not need.
PRODUCT_PREFIXES = ("PAPERS_", "HF_")


def workspace_for_port(shipped: Path, port: int) -> dict:
    """The shipped workspace file with its one gRPC server moved to `port` (and to 127.0.0.1)."""
    workspace = yaml.safe_load(shipped.read_text())
    [entry] = workspace["load_from"]
    entry["grpc_server"].update(host="127.0.0.1", port=port)
    return workspace


class DagsterTeam(WebserverClient):
    """The code server, webserver and daemon, each in its own process group, on free ports."""

    def __init__(
        self,
        papers_home: Path,
        code_env: dict[str, str],
        instance_env: dict[str, str],
        startup_timeout: float = 240,
    ) -> None:
        self.papers_home = Path(papers_home)
        self.dagster_home = prepare_dagster_home(self.papers_home / "dagster", POSTGRES_PROFILE)
        self.grpc_port, web_port = free_port(), free_port()
        super().__init__(f"http://127.0.0.1:{web_port}")
        self.workspace = self.dagster_home / "workspace.yaml"
        self.workspace.write_text(yaml.safe_dump(workspace_for_port(SHIPPED_WORKSPACE, self.grpc_port)))
        dagster_only = {k: v for k, v in os.environ.items() if not k.startswith(PRODUCT_PREFIXES)}
        instance = {**dagster_only, "DAGSTER_HOME": str(self.dagster_home), **instance_env}
        self.envs = {
            "code-server": {**instance, "PAPERS_HOME": str(self.papers_home), **code_env},
            "webserver": instance,
            "daemon": {**instance, **QUICK_TICKS},
        }
        workspace = str(self.workspace)
        self.commands = {
            "code-server": [
                str(DAGSTER),
                "code-server",
                "start",
                "-m",
                "orchestration.definitions",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.grpc_port),
                "--location-name",
                "hf_daily_papers",
            ],  # fmt: skip
            "webserver": [str(BIN / "dagster-webserver"), "-w", workspace, "-h", "127.0.0.1", "-p", str(web_port)],
            "daemon": [str(BIN / "dagster-daemon"), "run", "-w", workspace],
        }
        self.startup_timeout = startup_timeout
        self.processes: dict[str, subprocess.Popen] = {}

    def log_path(self, name: str) -> Path:
        """Where the output of process `name` goes."""
        return self.papers_home / f"{name}.log"

    def start(self) -> DagsterTeam:
        """Start the three, code server first; return once the webserver has loaded the code location."""
        self.start_process("code-server")
        # The webserver and the daemon load the location once at start-up: the code server must answer first.
        wait_until(self.code_server_serves, self.startup_timeout, f"the code server on port {self.grpc_port}", interval=2)
        self.start_process("webserver")
        self.start_process("daemon")
        wait_until(self._ready, self.startup_timeout, f"dagster-webserver on {self.url}")
        wait_until(self.location_loaded, self.startup_timeout, "the code location to load")
        return self

    def start_process(self, name: str) -> None:
        """Start (or restart, after `stop_process`) one of the three."""
        with self.log_path(name).open("ab") as log:
            self.processes[name] = subprocess.Popen(
                self.commands[name],
                cwd=REPO_ROOT,
                env=self.envs[name],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def stop_process(self, name: str) -> None:
        """SIGKILL one of the three, with whatever it started (tests/e2e/dagster_harness.stop_process_group)."""
        process = self.processes.pop(name, None)
        if process is not None:
            stop_process_group(process, _descendants(process.pid))

    def code_server_serves(self) -> bool:
        """`dagster api grpc-health-check`, as a container's health check would run it, once the
        port accepts connections."""
        self._check_alive()
        # The check is a process that imports Dagster (~3 s of CPU): none while nothing listens yet.
        if not _accepts_connections(self.grpc_port):
            return False
        check = [str(DAGSTER), "api", "grpc-health-check", "-h", "127.0.0.1", "-p", str(self.grpc_port)]
        return subprocess.run(check, capture_output=True, env=self.envs["webserver"], timeout=60).returncode == 0

    def _check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.log_tail()}")

    def _ready(self) -> bool:
        self._check_alive()
        return self.answers()

    def pids(self) -> dict[str, int]:
        """The pid of each of the three."""
        return {name: process.pid for name, process in self.processes.items()}

    def service_pids(self) -> set[int]:
        """The three processes and every process they have running now (run workers too, if any run)."""
        pids = set(self.pids().values())
        for pid in self.pids().values():
            pids |= {child.pid for child in _descendants(pid)}
        return pids

    def log_tail(self, chars: int = 3000) -> str:
        """The end of each process's log."""
        tails = []
        for name in self.commands:
            path = self.log_path(name)
            text = path.read_text(errors="replace")[-chars:] if path.exists() else "(no log)"
            tails.append(f"--- {name} ---\n{text}")
        return "\n".join(tails)

    def stop(self) -> None:
        """Stop the daemon first (no new runs), then the webserver, then the code server."""
        for name in ("daemon", "webserver", "code-server"):
            self.stop_process(name)
        self.close()

    def __enter__(self) -> DagsterTeam:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc_info) -> None:
        self.stop()


def _accepts_connections(port: int) -> bool:
    """Whether something listens on 127.0.0.1:`port`."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
