"""Fixtures shared by the whole suite. Subfolders add their own in their conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_API_DIR = REPO_ROOT / "hf_api" / "sample_days"
SAMPLE_LISTING = REPO_ROOT / "orchestration" / "sample" / "listings" / "daily_papers_listing.txt"


@pytest.fixture
def papers_home(tmp_path, monkeypatch) -> Path:
    """A fresh, empty PAPERS_HOME for one test; the real data/ folder is never touched."""
    home = tmp_path / "papers_home"
    home.mkdir()
    monkeypatch.setenv("PAPERS_HOME", str(home))
    monkeypatch.setenv("DAGSTER_HOME", str(home / "dagster"))
    (home / "dagster").mkdir()
    return home


@pytest.fixture(scope="session")
def sample_api_dir() -> Path:
    """Real HF API responses bundled with the project (four eras of the API)."""
    return SAMPLE_API_DIR


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """End-to-end test files first, the rest in their usual order.

    `python3 dev.py test` hands whole files to its workers in this order: the long end-to-end
    files (real dagster dev, streamlit, chromium) started last would leave one worker running
    them while the other idles. Tests do not depend on their order; a serial run is unchanged
    but for the order.
    """
    items.sort(key=lambda item: item.get_closest_marker("e2e") is None)
