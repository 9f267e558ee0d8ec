"""Wall and CPU seconds of test files, each run alone in its own pytest (no xdist).

    .venv/bin/python -m tests.measure_files tests/e2e/test_dagster_ui_backfill.py tests/test_readme_commands.py

Prints one line per file (wall, CPU of the whole process tree, the load average before and after)
and a table at the end, heaviest CPU first. CPU is the figure to compare on a shared machine:
other work stretches the wall time but hardly the CPU a file needs.

Why a wrapper rather than `/usr/bin/time`: a process's CPU reaches its parent's rusage only once the
parent reaps it, and a test that SIGKILLs `dagster dev`'s group orphans its daemon, webserver and
code server, whose CPU then counts nowhere. This process makes itself the child subreaper
(Linux prctl), so every orphan of the run is re-parented to it and reaped here, counted.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
PR_SET_CHILD_SUBREAPER = 36
# Orphans still running this long after pytest exits are reported, not waited for.
ORPHAN_GRACE_S = 60.0


def become_subreaper() -> None:
    """Make orphaned descendants this process's children (Linux only), so their CPU is counted."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed: run this on Linux")


def reap_orphans(grace_s: float) -> int:
    """Reap every child left (orphans re-parented here) for up to `grace_s`; the number still alive."""
    deadline = time.monotonic() + grace_s
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return 0
        if pid == 0:
            if time.monotonic() > deadline:
                return _count_children()
            time.sleep(0.2)


def _count_children() -> int:
    """How many live processes have this one as their parent."""
    me, count = os.getpid(), 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == me:
                count += 1
    return count


def children_cpu_s() -> float:
    """User + system CPU seconds of every reaped descendant so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def load() -> str:
    """The 1-minute load average, one decimal."""
    return f"{os.getloadavg()[0]:.1f}"


def measure(path: str, pytest_args: list[str]) -> tuple[str, float, float, int, str]:
    """Run one file alone; (path, wall s, CPU s, pytest's exit code, 'load before->after')."""
    load_before, cpu_before, started = load(), children_cpu_s(), time.monotonic()
    # Bytecode as `dev.py test` runs it (written, then reused), so a file is not charged for compiling.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    code = subprocess.call(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "-p", "no:cacheprovider", *pytest_args, path],
        cwd=REPO_ROOT,
        env=env,
    )
    left = reap_orphans(ORPHAN_GRACE_S)
    wall, cpu = time.monotonic() - started, children_cpu_s() - cpu_before
    note = f" ({left} process(es) still running, not counted)" if left else ""
    print(f"== {path}: {wall:.1f} s wall, {cpu:.1f} s CPU, exit {code}, load {load_before}->{load()}{note}", flush=True)
    return path, wall, cpu, code, f"{load_before}->{load()}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", help="test files (or node ids), each run alone")
    parser.add_argument("--pytest-arg", action="append", default=[], help="passed to every pytest run")
    args = parser.parse_args(argv)
    become_subreaper()
    rows = [measure(path, args.pytest_arg) for path in args.files]
    print(f"\n{'CPU s':>7} {'wall s':>7} {'exit':>4}  {'load':<10} file")
    for path, wall, cpu, code, loads in sorted(rows, key=lambda row: -row[2]):
        print(f"{cpu:7.1f} {wall:7.1f} {code:4d}  {loads:<10} {path}")
    print(f"{sum(r[2] for r in rows):7.1f} {sum(r[1] for r in rows):7.1f}        total")
    return max((row[3] for row in rows), default=0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
