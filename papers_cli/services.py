"""Long-running child services (`dagster dev`, the dashboard) that stop with the command.

Each service runs in its own process group, so that one signal reaches the service and everything
it started (dagster dev's webserver, daemon and code servers), and a service that does not stop in
time is killed whole. Ctrl-C or SIGTERM to the command stops the services the same way; they work
even when the command was started with SIGINT ignored (`papers up &` from a script): Python keeps
an inherited "ignore", and dagster dev maps SIGTERM onto its SIGINT handler, so an ignored SIGINT
made it unstoppable but by SIGKILL.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

STOP_WAIT_S = 30.0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def start_service(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start `command` as the leader of a new process group."""
    return subprocess.Popen(list(command), cwd=cwd, env=env, process_group=0)


def serve_until_interrupted(processes: list[subprocess.Popen], say: Callable[[str], None]) -> int:
    """Wait until Ctrl-C, SIGTERM or one service exiting; then stop every service. Returns 0."""
    # Python handlers, not SIG_IGN, so each service (started after this) begins with the defaults.
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(1)
        ended = [p for p in processes if p.poll() is not None]
        say(f"{service_name(ended[0])} exited with code {ended[0].returncode}: stopping the rest")
    except KeyboardInterrupt:
        say("Stopping...")
    finally:
        # A second Ctrl-C while stopping must not leave services behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop_services(processes, say)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def stop_services(processes: list[subprocess.Popen], say: Callable[[str], None], wait_s: float = STOP_WAIT_S) -> None:
    """SIGINT to each service's group (what Ctrl-C in its terminal would send), then SIGKILL to
    the groups still running after `wait_s`."""
    for process in processes:
        _signal_group(process, signal.SIGINT)
    deadline = time.monotonic() + wait_s
    for process in processes:
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{service_name(process)} did not stop within {wait_s:g} s: killed")
        # The group goes too: what the service started and left running would hold its ports.
        _signal_group(process, signal.SIGKILL)
        process.wait()


def service_name(process: subprocess.Popen) -> str:
    """The program and its first argument, e.g. "dagster dev"."""
    program, *rest = (str(arg) for arg in process.args)  # type: ignore[union-attr]
    return " ".join([Path(program).name, *rest[:1]])


def _signal_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
