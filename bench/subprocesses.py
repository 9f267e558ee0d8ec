"""Running a bench worker in a fresh Python process and reading its one-line JSON answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from papers_settings import REPO_ROOT


class WorkerFailed(RuntimeError):
    """A worker process exited non-zero, printed no JSON result, or was killed by the guard."""

    def __init__(self, message: str, peak_rss_mb: float = 0.0, killed: bool = False) -> None:
        super().__init__(message)
        self.peak_rss_mb = peak_rss_mb
        self.killed = killed


def run_worker(
    module: str, args: list[str], env: dict[str, str] | None = None, timeout_s: float = 7200, rss_limit_mb: float = 8000
) -> dict:
    """`python -m module args` with `env` added; its last stdout line as JSON, plus wall_s and
    sampled_peak_rss_mb (the process tree's RSS, sampled every 0.2 s). A worker whose tree
    passes `rss_limit_mb` is killed, so a memory blow-up fails the measurement, not the machine."""
    import psutil

    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            cwd=REPO_ROOT,
            stdout=out,
            stderr=err,
            text=True,
            env=child_env(env or {}),
        )
        peak, killed = 0.0, None
        while proc.poll() is None:
            peak = max(peak, _tree_rss_mb(psutil, proc.pid))
            if peak > rss_limit_mb or time.perf_counter() - started > timeout_s:
                killed = f"killed at {peak:.0f} MB RSS after {time.perf_counter() - started:.0f} s"
                proc.kill()
                proc.wait()
                break
            time.sleep(0.2)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    wall = time.perf_counter() - started
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if killed or proc.returncode != 0 or not lines:
        reason = killed or f"exited {proc.returncode}"
        raise WorkerFailed(f"{module} {' '.join(args)} {reason}:\n{stderr[-3000:]}", peak, bool(killed))
    return {**json.loads(lines[-1]), "wall_s": wall, "sampled_peak_rss_mb": peak}


def child_env(extra: dict[str, str]) -> dict[str, str]:
    """This process's environment with `extra` added, for a child process."""
    return {**os.environ, **extra}


def tree_peak_rss_mb(proc: subprocess.Popen, every_s: float = 0.2) -> float:
    """Wait for `proc` to exit; the peak RSS of its process tree, sampled every `every_s`."""
    import psutil

    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_mb(psutil, proc.pid))
        time.sleep(every_s)
    return peak


def _tree_rss_mb(psutil, pid: int) -> float:
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
        return sum(p.memory_info().rss for p in procs) / 2**20
    except psutil.Error:
        return 0.0


def product_env(home: Path, base_url: str) -> dict[str, str]:
    """The environment a product process reads: its own PAPERS_HOME and DAGSTER_HOME, the local
    server as the API, and no client-side rate limit (the server is local)."""
    return {
        "PAPERS_HOME": str(home),
        "DAGSTER_HOME": str(home / "dagster"),
        "HF_API_BASE_URL": base_url,
        "HF_REQUESTS_PER_SECOND": "0",
        "HF_TOKEN": "",
    }
