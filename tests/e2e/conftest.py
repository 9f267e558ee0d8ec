"""Fixtures the browser tests share: Debian chromium, and one launched browser per test module."""

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
