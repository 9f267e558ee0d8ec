#!/usr/bin/env python3
"""Set the project up and run it, with nothing but Python 3.11 on the machine.

    python3 dev.py up      # install into .venv, load the bundled sample, start Dagster UI + dashboard
    python3 dev.py test    # install into .venv (and the test browser/database), lint, then run the
                           # whole suite on every core (pytest-xdist) and print its wall and CPU time
    python3 dev.py lint    # ruff check and mypy (their settings are in pyproject.toml)

Installs uv (pinned) into .tools/, then `uv sync --locked` builds .venv from uv.lock; .venv/bin
then holds `papers`, `duckdb` (the DuckDB command-line tool), `dagster` and `dg`.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TOOLS = ROOT / ".tools"
VENV = ROOT / ".venv"
UV_VERSION = "0.13.8"
# The packages the wheel ships, whose bytecode setup writes.
PROJECT_PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]
# Debian packages the test suite drives: a real browser for Playwright, a PostgreSQL server.
TEST_SYSTEM_PACKAGES = {"/usr/bin/chromium": "chromium", "/usr/lib/postgresql": "postgresql"}
# Each must pass; the paths they check and their rules are in pyproject.toml.
LINTERS = (("ruff", "check", "."), ("ruff", "format", "--check", "."), ("mypy",))


def run(*cmd: str | os.PathLike, **kwargs) -> None:
    print("+", " ".join(map(str, cmd)), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, **kwargs)


def setup(*groups: str) -> None:
    """Create .tools (uv) and .venv (the project, from the lock file, plus dependency groups)."""
    uv = TOOLS / "bin" / "uv"
    if not uv.exists():
        venv.create(TOOLS, with_pip=True)
        run(TOOLS / "bin" / "python", "-m", "pip", "install", "--quiet", f"uv=={UV_VERSION}")
    extra = [arg for group in groups for arg in ("--group", group)]
    # --inexact: `up` must not uninstall what `test` added (the bench group) from the same .venv.
    run(uv, "sync", "--locked", "--inexact", "--python", sys.executable, *extra)
    # uv compiles the installed packages (pyproject's compile-bytecode); these are the project's own.
    run(VENV / "bin" / "python", "-m", "compileall", "-q", *PROJECT_PACKAGES)


def install_test_system_packages() -> None:
    """Install the browser and database the end-to-end tests use, when we are allowed to."""
    missing = [pkg for path, pkg in TEST_SYSTEM_PACKAGES.items() if not Path(path).exists()]
    if not missing:
        return
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        print(
            f"note: {', '.join(missing)} not installed; the tests that need them will skip "
            "(install them with: sudo apt-get install -y " + " ".join(missing) + ")"
        )
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run("apt-get", "update", "-q", env=env)
    run("apt-get", "install", "-y", "-q", "--no-install-recommends", *missing, env=env)


def lint() -> int:
    """Run every linter (all of them, so one run shows every finding); 0 when all pass."""
    failed = 0
    for name, *args in LINTERS:
        print("+", name, *args, flush=True)
        failed |= subprocess.call([VENV / "bin" / name, *args], cwd=ROOT) != 0
    return int(failed)


def _children_cpu_s() -> float:
    """CPU seconds (user + system) of the finished processes started from here and their own.

    Unlike the wall time, other work on the machine hardly changes it: it compares runs on a
    shared machine (a process that is never waited for, e.g. one a test leaves behind, is not in it)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _machine_cpu_s() -> float | None:
    """CPU seconds every process on the machine has used since boot (Linux's /proc/stat), or None
    elsewhere. The suite's processes that nothing waits for (Dagster's daemon-started run workers,
    processes a test SIGKILLs) are not in _children_cpu_s; on a machine that runs nothing else, as
    CI's, the difference of this figure is the suite's whole CPU."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    user, nice, system = (int(value) for value in fields[:3])
    return (user + nice + system) / os.sysconf("SC_CLK_TCK")


def _load_average() -> str:
    """The 1, 5 and 15 minute load averages: above the core count, other work slowed the run."""
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def run_suite(args: list[str]) -> int:
    """pytest over tests/ on every core and one more, then its wall time (with the load, which skews it)
    and CPU time."""
    # pytest-xdist: a test file stays on one worker, so a module's shared server (dashboard, dagster
    # dev) starts once; the order tests/conftest.py gives is kept. One worker more than cores: the
    # longest file (the UI backfills, minutes long) mostly waits for Dagster's daemons (it used 91 s
    # of CPU), so with a worker per core one core idled while the other ran the rest: the whole suite
    # needed ~770 s of CPU and took 720 s on 2 idle cores. `python3 dev.py test -n 2` overrides it.
    workers = (os.cpu_count() or 1) + 1
    # --durations and tests.file_cost: the slowest tests and the files costing the most CPU are on
    # record in every run (CI's log), for the next look at suite time.
    parallel = ["-n", str(workers), "--dist", "loadfile", "--no-loadscope-reorder", "--durations=25", "-p", "tests.file_cost"]
    load_before = _load_average()
    before, machine_before, started = _children_cpu_s(), _machine_cpu_s(), time.monotonic()
    # Bytecode may be written while the suite runs (into the repo's gitignored __pycache__ folders),
    # even where PYTHONDONTWRITEBYTECODE is set, as on these machines: else every process the suite
    # starts (dagster dev, code servers, runs, papers commands, the workers' test modules and
    # pytest's assertion rewriting) compiles the project's modules again.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    code = subprocess.call([VENV / "bin" / "python", "-m", "pytest", *parallel, *args], cwd=ROOT, env=env)
    wall, cpu, machine_after = time.monotonic() - started, _children_cpu_s() - before, _machine_cpu_s()
    machine = "" if machine_before is None or machine_after is None else f", {machine_after - machine_before:.0f} s machine-wide"
    print(
        f"suite wall time: {wall:.0f} s on {os.cpu_count()} cores, {cpu:.0f} s of CPU{machine} "
        f"(load average before {load_before}, now {_load_average()})",
        flush=True,
    )
    return code


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "help"
    if command == "up":
        setup()
        # `papers up` replaces this process: a waiting parent would kill it on Ctrl-C (what
        # subprocess.call does) before it had stopped its services.
        os.chdir(ROOT)
        sys.stdout.flush()
        sys.stderr.flush()
        papers = str(VENV / "bin" / "papers")
        os.execv(papers, [papers, "up", *argv[1:]])
    if command == "test":
        setup("bench")  # the benchmark's tests compare against dlt
        install_test_system_packages()
        if lint():
            print("lint failed: fix the findings above first (python3 dev.py lint)")
            return 1
        return run_suite(argv[1:])
    if command == "lint":
        setup()
        return lint()
    if command == "setup":
        setup()
        return 0
    print(__doc__)
    return 0 if command == "help" else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
