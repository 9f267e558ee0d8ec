"""Fixtures the end-to-end tests share: Debian chromium, one launched browser and one tab (`page`) per
test module, and one PostgreSQL server per worker."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.chromium import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="module")
def chromium() -> Path:
    """Debian chromium; skipped locally when absent, a failure in CI (where .ci/run installs it)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() in {"1", "true"}:
            pytest.fail(f"{CHROMIUM} is missing in CI: install Debian chromium (apt-get install -y chromium).")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium); set CI=true to make this a failure.")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium):
    """Chromium driven by Playwright (no browser download), for the module's tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture(scope="module")
def shared_tab(browser):
    """One tab, in one browser context, for the module's tests: each test starts by opening a URL.

    What a page's first load costs depends on where it opens (Chromium, Streamlit and the driver
    together, one author page, load average ~10): 2.9 s of CPU in a tab of a new context, 1.8 s in
    a new tab of an open context, 1.1 s in the same tab again. The browser files open dozens.
    """
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def page(shared_tab):
    """The module's tab at a desktop size and a 60 s timeout; tabs a test opened beside it are closed
    after the test."""
    shared_tab.set_viewport_size(DESKTOP)
    shared_tab.set_default_timeout(60_000)
    yield shared_tab
    for other in shared_tab.context.pages:
        if other is not shared_tab:
            other.close()


@pytest.fixture(scope="session")
def postgres_server():
    """One real PostgreSQL server per test worker (Debian's package); tests create their own databases.

    Skipped locally when the binaries are missing, a failure in CI (where dev.py installs them).
    """
    from bench.postgres_server import postgres_bin_dir, start_postgres, stop_postgres

    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        reason = (
            "PostgreSQL binaries (initdb, pg_ctl) not found; install them with "
            "`apt-get install -y postgresql` (python3 dev.py test does so as root)"
        )
        if os.environ.get("CI", "").lower() in {"1", "true"}:
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    server = start_postgres(bin_dir)
    try:
        yield server
    finally:
        stop_postgres(server)
