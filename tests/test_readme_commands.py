"""Every shell command of the README's quick start and "Everyday use" runs after the README's
set-up, offline, against the bundled sample and the local fake HF server.

How a command is run (also said in the README, under its commands):
- `data/` becomes a temporary `$PAPERS_HOME/` (the real data/ folder is never touched);
- commands that reach the live API (`papers backfill`, `--live`) get `HF_API_BASE_URL` pointed at
  the fake server, which serves generated days for every `--start/--end` range in the README;
- `papers up` and `python3 dev.py up` get free ports, are probed until both pages answer HTTP 200
  (and the Dagster UI names its code location hf_daily_papers), then stopped: `python3 dev.py up`
  with Ctrl-C (SIGINT to its process group), `papers up` as a script's background job is (started
  with SIGINT ignored, stopped with SIGTERM to it alone); neither may leave a process behind;
- `python3 dev.py test` runs as `python3 dev.py test --collect-only -q` (the suite cannot run itself).
`.venv/bin` is on PATH, as `source .venv/bin/activate` puts it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import socket
import subprocess
import time
from datetime import date
from pathlib import Path

import httpx
import psutil
import pytest

from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days

# Two `up` commands wait up to 420 s each for their pages, beside a 30-day backfill: more than the suite's
# default 300 s per test on a loaded machine.
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(1200)]
REPO_ROOT = Path(__file__).resolve().parent.parent
README = REPO_ROOT / "README.md"
SECTIONS = ("HF Daily Papers warehouse", "Everyday use")  # the title section is the quick start


def sections(text: str) -> dict[str, str]:
    """README sections by heading (level 1 and 2), each with its text up to the next one."""
    parts = re.split(r"^#{1,2} (.+)$", text, flags=re.MULTILINE)
    return {title.strip(): body for title, body in zip(parts[1::2], parts[2::2], strict=True)}


def shell_commands(section_text: str) -> list[str]:
    """The commands of a section's ```bash blocks, comments stripped, one per line."""
    commands = []
    for block in re.findall(r"```bash\n(.*?)```", section_text, flags=re.DOTALL):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words:
                commands.append(shlex.join(words))
    return commands


def readme_commands() -> list[str]:
    found = sections(README.read_text())
    return [command for title in SECTIONS for command in shell_commands(found[title])]


IGNORE_SIGINT = "trap '' INT; "


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serves_pages(command: str, env: dict[str, str]) -> str:
    """Start a long-running `up` command, wait for both pages to answer 200, stop it as a user
    would (see the module's docstring) and check that everything it started has stopped."""
    ports = free_port(), free_port()
    as_background_job = command.startswith("papers up")
    # `exec`: the process is the command itself, as in a terminal; `trap '' INT` is what a
    # non-interactive shell does to a job it starts with `&`.
    launch = (IGNORE_SIGINT if as_background_job else "") + f"exec {command}"
    process = subprocess.Popen(
        ["bash", "-c", f"{launch} --dagster-port {ports[0]} --dashboard-port {ports[1]}"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline, answered = time.monotonic() + 420, set()
        while answered != set(ports) and time.monotonic() < deadline and process.poll() is None:
            for port in set(ports) - answered:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200:
                        answered.add(port)
                except httpx.HTTPError:
                    pass
            time.sleep(2)
        if answered == set(ports):
            location = httpx.post(
                f"http://127.0.0.1:{ports[0]}/graphql",
                timeout=30,
                json={"query": "{ workspaceOrError { ... on Workspace { locationEntries { name } } } }"},
            ).json()
            names = [e["name"] for e in location["data"]["workspaceOrError"]["locationEntries"]]
    finally:
        started = descendants(process.pid)
        if process.poll() is None:
            if as_background_job:
                process.send_signal(signal.SIGTERM)
            else:
                os.killpg(process.pid, signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=90)
        left_running = [described(p) for p in started if running(p)]
        # What outlives the command would hold the output pipe open (the read below would wait for
        # the test's timeout) and the ports: kill it, then fail.
        leftovers = started if process.poll() is not None else [*started, psutil.Process(process.pid)]
        for survivor in leftovers:
            with contextlib.suppress(psutil.NoSuchProcess):
                survivor.kill()
        process.wait()
        output = process.stdout.read()
    assert not left_running, f"{command}: still running after it stopped: {left_running}\n{output[-3000:]}"
    assert answered == set(ports), f"{command}: pages answering 200 on {sorted(answered)} of {ports}\n{output[-3000:]}"
    assert names == ["hf_daily_papers"], f"{command}: the Dagster UI shows code locations {names}"
    return output


def descendants(pid: int) -> list[psutil.Process]:
    """Every process `pid` started, and theirs."""
    with contextlib.suppress(psutil.NoSuchProcess):
        return psutil.Process(pid).children(recursive=True)
    return []


def described(process: psutil.Process) -> str:
    with contextlib.suppress(psutil.NoSuchProcess):
        return " ".join(process.cmdline()[:4])
    return f"pid {process.pid} (gone now)"


def running(process: psutil.Process) -> bool:
    with contextlib.suppress(psutil.NoSuchProcess):
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    return False


def test_the_readme_commands_we_know_how_to_run_offline():
    commands = readme_commands()
    assert "python3 dev.py up" in commands and any(c.startswith("duckdb -readonly") for c in commands)
    unknown = [c for c in commands if not re.match(r"(python3 dev\.py (up|test)|papers (backfill|sql|up)|duckdb) ", c + " ")]
    assert not unknown, f"add how to run these offline to this test: {unknown}"


def test_every_quick_start_and_everyday_command_works_offline(tmp_path):
    commands = readme_commands()
    days_dir = tmp_path / "served"
    days_dir.mkdir()
    for command in commands:
        if m := re.search(r"--start (\S+) --end (\S+)", command):
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
            fixture_days(days_dir, (end - start).days + 1, start)
    home = tmp_path / "papers_home"
    base_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PAPERS_HOME", "DAGSTER_HOME", "HF_API_BASE_URL", "HF_TOKEN", "VIRTUAL_ENV"}
    }
    base_env.update(PAPERS_HOME=str(home), PATH=f"{base_env['PATH']}:{REPO_ROOT / '.venv' / 'bin'}", HF_REQUESTS_PER_SECOND="0")
    with FakeHFServer(days_dir) as server:
        for command in commands:
            env = dict(base_env)
            if command.startswith("papers backfill") or "--live" in command:
                env["HF_API_BASE_URL"] = server.base_url
            command = command.replace("data/", "$PAPERS_HOME/")
            if re.match(r"(python3 dev\.py|papers) up\b", command):
                output = serves_pages(command, env)
                continue
            if command == "python3 dev.py test":
                command += " --collect-only -q"
            done = subprocess.run(["bash", "-c", command], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900)
            output = done.stdout + done.stderr
            assert done.returncode == 0, f"{command}\n{output[-3000:]}"
            if command.startswith("papers sql"):
                assert "2025-11-30" in output and "2024-05-27" in output, output
            if command.startswith("duckdb"):
                assert len(done.stdout.strip().splitlines()) >= 5, output
    assert (home / "warehouse.duckdb").exists()
