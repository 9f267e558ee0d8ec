"""Hostile SQL typed into the console of a real `streamlit run` in real Chromium: every attack gets
its message, the Streamlit server process stays under 1 GB (psutil samples it throughout), and
another browser session gets its answer while a hostile query is still running."""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

import psutil
import pytest

from tests.dashboard.seed import seed_warehouse
from tests.e2e.dashboard_server import free_port, streamlit_command, wait_until_healthy

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

REPO_ROOT = Path(__file__).resolve().parents[2]
DASHBOARD_MAX_RSS = 1_000_000_000  # the product's promise for the Streamlit process, whatever is typed
NEVER_ENDS = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"


class PeakRss:
    """Samples one process's RSS every 50 ms in a thread; `peak` is the largest seen."""

    def __init__(self, pid: int) -> None:
        self.process, self.peak, self._stop = psutil.Process(pid), 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
            except psutil.NoSuchProcess:
                return

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


@pytest.fixture(scope="module")
def server(tmp_path_factory, chromium):
    """`streamlit run dashboard/app.py` from the repo root (loopback, console on) over a seeded warehouse."""
    home = tmp_path_factory.mktemp("papers_home")
    seed_warehouse(home / "warehouse.duckdb")
    port = free_port()
    env = {**os.environ, "PAPERS_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    env.pop("PAPERS_SQL_CONSOLE", None)
    log = home / "streamlit.log"
    process = subprocess.Popen(streamlit_command(port), cwd=REPO_ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    wait_until_healthy(process, port, log)
    base = f"http://127.0.0.1:{port}"
    yield base, process
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def context(browser):
    """One browser context for the module: each tab in it is a Streamlit session of its own (a new
    context per session cost ~1 s of CPU more; see docs/design.md)."""
    shared = browser.new_context(viewport={"width": 1440, "height": 1000})
    yield shared
    shared.close()


def console_tab(context, base: str):
    """A new browser session (a new tab) on the SQL console page, ready to type."""
    tab = context.new_page()
    tab.set_default_timeout(90_000)
    tab.goto(f"{base}/sql")
    tab.locator('[data-testid="stTextArea"] textarea').wait_for()
    return tab


def submit(tab, sql: str) -> None:
    tab.locator('[data-testid="stTextArea"] textarea').fill(sql)
    tab.get_by_role("button", name="Run query").click()


ATTACKS = [
    (
        "SELECT " + "(" * 400_000 + "1" + ")" * 400_000,
        "The SQL is 800,008 characters long; the console runs statements of at most 100,000.",
    ),
    ("SELECT list_sum(range(1000000000))", "Stopped: the query needed more memory than the console allows"),
    (
        "SELECT i, repeat('x', 1000000) AS s FROM range(1000) t(i)",
        "Stopped: the query needed more memory than the console allows",
    ),
    (
        "SELECT i, repeat('x', 100000) AS s FROM range(1000) t(i)",
        "Result truncated at 16 MB: showing the first 159 rows; the result has more.",
    ),
]


def test_hostile_queries_get_their_message_and_the_server_stays_under_1_gb(server, context):
    base, process = server
    tab = console_tab(context, base)
    rss = PeakRss(process.pid)
    try:
        for sql, message in ATTACKS:
            submit(tab, sql)
            tab.get_by_text(message).wait_for()
    finally:
        peak = rss.stop()
        print(f"Streamlit server peak RSS during the attacks: {peak / 1e6:.0f} MB")
    assert peak < DASHBOARD_MAX_RSS, f"the Streamlit server peaked at {peak / 1e6:.0f} MB"


def test_another_session_is_answered_while_a_hostile_query_runs(server, context):
    base, _ = server
    hostile, other = console_tab(context, base), console_tab(context, base)
    submit(hostile, NEVER_ENDS)
    running = hostile.get_by_text("Running…")
    running.wait_for()
    submit(other, "SELECT 'other session' AS who, count(*) AS n FROM papers")
    other.locator('[data-testid="stDataFrame"]').wait_for()
    other.get_by_text("1 rows in").wait_for()
    assert running.is_visible(), "the hostile query had already ended: nothing was shown"
    hostile.get_by_text("Stopped: the query ran past the 10 s limit.").wait_for()
