"""`papers backfill` shows its progress day by day: a live bar on a terminal. The plain lines it
prints into a pipe are checked on the failing-day backfill of tests/e2e/test_cli_backfill.py (one
backfill for both: the same range, the same day failing)."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from tests.e2e.cli_helpers import PAPERS, REPO_ROOT
from tests.e2e.test_cli_backfill import expected_rows

pytestmark = pytest.mark.e2e
START = date(2025, 3, 3)
N_DAYS = 5
END = START + timedelta(days=N_DAYS - 1)


@pytest.fixture
def served(tmp_path):
    days_dir = tmp_path / "served"
    days = fixture_days(days_dir, N_DAYS, START)
    per_day = {}
    for day, *_ in expected_rows(days_dir, days).values():
        per_day[day] = per_day.get(day, 0) + 1
    return days_dir, days, per_day


def run_in_a_terminal(args: list[str], home: Path, base_url: str, timeout: float = 300) -> tuple[int, str]:
    """Run `papers ARGS` with a pseudo-terminal as its stdin, stdout and stderr; returns everything it wrote."""
    env = {
        **os.environ,
        "PAPERS_HOME": str(home),
        "DAGSTER_HOME": str(home / "dagster"),
        "HF_API_BASE_URL": base_url,
        "HF_MAX_ATTEMPTS": "2",
        "HF_BACKOFF_MAX_S": "0.2",
        "HF_REQUESTS_PER_SECOND": "0",
        "COLUMNS": "200",
        "LINES": "50",
        "TERM": "xterm",
    }
    for key in ("HF_TOKEN", "NO_COLOR", "TTY_COMPATIBLE", "FORCE_COLOR"):
        env.pop(key, None)
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [str(PAPERS), *args], env=env, cwd=REPO_ROOT, stdin=terminal, stdout=terminal, stderr=terminal, close_fds=True
    )
    os.close(terminal)
    output = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(controller, 65536)
                except OSError:  # the child closed its side
                    break
                if not chunk:
                    break
                output += chunk
            elif process.poll() is not None:
                break
        returncode = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    return returncode, output.decode("utf-8", errors="replace")


def test_on_a_terminal_a_live_bar_counts_the_days(tmp_path, served):
    days_dir, days, per_day = served
    bad = days[2]
    # Slow answers, so the bar is drawn while days are still being fetched; each day slower than
    # the one before, so the days fetched at once (pipeline/fetch_days.py) land one after another.
    faults = {str(d): f"always:slow:{0.6 * (i + 1):g}" for i, d in enumerate(days) if d != bad} | {str(bad): "always:503"}
    with FakeHFServer(days_dir, faults=faults) as server:
        returncode, output = run_in_a_terminal(
            ["backfill", "--start", str(START), "--end", str(END)], tmp_path / "home", server.base_url
        )
    assert returncode == 1, output
    assert "\x1b[" in output, "no terminal codes: the live bar was not used"
    assert "day=" not in output, "plain lines on a terminal"
    assert "Traceback" not in output
    # Colours go; a cursor move or line erase starts a new frame (Live redraws in place).
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-ln-z]", "\n", re.sub(r"\x1b\[[0-9;]*m", "", output))
    frames = [line.strip() for line in re.split(r"[\r\n]", plain) if "Backfill" in line and "days" in line]
    good = [d for d in days if d != bad]
    final = frames[-1]
    assert f"{N_DAYS}/{N_DAYS} days" in final
    total = sum(per_day[d] for d in good)
    assert f"fetched 4 · loaded 4 · failed 1 · {total} papers fetched, {total} loaded" in final
    # The bar moved while the run fetched (drawn in place during the Dagster step, not only at
    # its end), and never backwards.
    done = [int(m.group(1)) for f in frames if (m := re.search(r"(\d+)/5 days", f))]
    assert done == sorted(done)
    assert len(set(done) & {1, 2, 3, 4}) >= 2, done
    assert f"{bad} failed:" in plain and "503" in plain
    # Log lines written during the step (the HTTP client's retry, Dagster's errors) are printed
    # above the bar, never glued to the end of a frame.
    screen_lines = re.split(r"[\r\n]", plain)
    assert any("attempt 1/2 failed" in line for line in screen_lines)
    assert not [line for line in screen_lines if "Backfill" in line and ("attempt" in line or "dagster" in line)]
