"""The dashboard stays up, with no error shown, while a real backfill runs and publishes; after
the publish it shows the new data. Streamlit and the backfill are separate real processes, the
HF API is the local fake server, and the page is watched in Debian chromium."""

from __future__ import annotations

import os
import subprocess
from datetime import date

import pytest

from bench.chromium import CHROMIUM_ARGS
from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from tests.e2e.cli_helpers import PAPERS, REPO_ROOT, published_rows, run_papers
from tests.e2e.dashboard_server import free_port, streamlit_command, wait_until_healthy
from tests.e2e.test_dashboard_browser import IDLE

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
START = date(2025, 4, 7)
N_DAYS = 6


def start_dashboard(home, port: int) -> subprocess.Popen:
    env = {**os.environ, "PAPERS_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    server = subprocess.Popen(
        streamlit_command(port), cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_until_healthy(server, port)
    return server


def test_the_dashboard_shows_no_error_during_a_backfill_and_the_new_data_after(tmp_path, chromium):
    from playwright.sync_api import sync_playwright

    days_dir, home = tmp_path / "served", tmp_path / "home"
    days = fixture_days(days_dir, N_DAYS, START)
    port = free_port()
    with FakeHFServer(days_dir, faults={str(d): ["slow:1"] for d in days}) as server:
        # One day published first, so the dashboard has a warehouse to show.
        assert run_papers(["backfill", "--start", str(START), "--end", str(START)], home, server.base_url).returncode == 0
        dashboard = start_dashboard(home, port)
        env = {
            **os.environ,
            "PAPERS_HOME": str(home),
            "DAGSTER_HOME": str(home / "dagster"),
            "HF_API_BASE_URL": server.base_url,
            "HF_REQUESTS_PER_SECOND": "0",
        }
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
                page = browser.new_page()
                backfill = subprocess.Popen(
                    [str(PAPERS), "backfill", "--start", str(START), "--end", str(days[-1])],
                    cwd=REPO_ROOT,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
                looks, errors = 0, []
                while backfill.poll() is None:
                    page.goto(f"http://127.0.0.1:{port}/?period=1y")
                    page.wait_for_function(IDLE, timeout=60_000)
                    errors += page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').all_inner_texts()
                    looks += 1
                output = backfill.communicate()[0]
                assert backfill.returncode == 0, output
                page.goto(f"http://127.0.0.1:{port}/")
                page.wait_for_function(IDLE, timeout=60_000)
                sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
                browser.close()
        finally:
            dashboard.terminate()
            dashboard.wait(timeout=20)
    assert looks >= 2, "the page was loaded while the backfill ran"
    assert errors == []
    total = published_rows(home, "SELECT count(*) FROM papers")[0][0]
    newest = published_rows(home, "SELECT max(listing_date) FROM papers")[0][0]
    assert newest == days[-1]
    assert f"{total} papers" in sidebar
    assert newest.strftime("%d %b %Y").lstrip("0") in sidebar or newest.strftime("%-d %b %Y") in sidebar
