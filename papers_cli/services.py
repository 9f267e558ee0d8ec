"""Long-running child services (`dagster dev`, the dashboard) that stop with the command.

Each service runs in its own process group: Ctrl-C in the terminal reaches only this command, which
asks each service to stop (SIGINT to the service itself), and whatever a service leaves running or a
service that does not stop in time is killed with its whole group (dagster dev's webserver, daemon
and code servers). Ctrl-C or SIGTERM to the command stops the services the same way; they work
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


def serve_until_interrupted(start: Callable[[list[subprocess.Popen]], None], say: Callable[[str], None]) -> int:
    """Call `start`, which starts the services into the list it is given, and wait until Ctrl-C,
    SIGTERM or one service exiting; then stop every service started. Returns 0."""
    # Python handlers, not SIG_IGN, before any service starts: a caught signal is reset to its
    # default when a service's program starts, an ignored one stays ignored. Started from a script's
    # background job (SIGINT ignored), dagster dev otherwise ignored SIGINT and SIGTERM both.
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    processes: list[subprocess.Popen] = []
    try:
        start(processes)
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
    """SIGINT to each service's leader, which stops what it started itself, then SIGKILL to each
    group once its leader has exited or `wait_s` has passed."""
    # The leader alone, not its group (what Ctrl-C in a terminal would send): dagster dev stops its
    # webserver and daemon through their shutdown pipes and its code server itself. With the whole
    # group signalled, its code server could exit first; dagster dev's code-server manager then
    # started a new one and dagster dev waited on it until killed at `wait_s` (seen twice on
    # 2026-12-07; `papers up` now stops in ~1.5 s).
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGINT)
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
