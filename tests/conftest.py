"""Fixtures shared by the whole suite. Subfolders add their own in their conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sample_warehouse import shared_sample_home

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


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory, worker_id) -> Path:
    """The home `papers up --no-serve` leaves on the bundled sample, made once per suite run
    (shared by the pytest-xdist workers); copy what you use, never write into it."""
    base = tmp_path_factory.getbasetemp()
    # Under pytest-xdist each worker's base folder sits in the run's own: share that one.
    return shared_sample_home(base if worker_id == "master" else base.parent)


# The files that take a minute or more, longest first (`pytest --durations` and the per-file CPU table,
# both printed by every `dev.py test`; CI on 2026-12-06, tests/measure_files.py after the quicker
# waits): most of their time is spent waiting for Dagster's daemons and for runs in other processes.
# tests/file_schedule.py queues quick files, not the next of these, behind one of these.
LONGEST_FILES = (
    "e2e/test_dagster_ui_backfill.py",
    "e2e/test_dagster_team_deploy.py",
    "test_readme_commands.py",
    "bench/test_harness.py",
    "e2e/test_dagster_digest_and_freshness.py",
    "e2e/test_ducklake_concurrency.py",
    "e2e/test_writer_crash.py",
    "e2e/test_dashboard_entities_browser.py",
    "e2e/test_dashboard_browser.py",
    "e2e/test_cli_backfill.py",
    "e2e/test_dashboard_during_backfill.py",
    "bench/test_measure_daily_run.py",
    "e2e/test_ducklake_backfill.py",
    "e2e/test_fresh_tab_bench.py",
    "e2e/test_ducklake_readers.py",
    "e2e/test_disk_full.py",
)


def run_order(item: pytest.Item) -> tuple[int, bool]:
    """The long files first, longest first; then the other end-to-end files; the rest in their usual order."""
    path = Path(str(item.path)).relative_to(Path(__file__).parent).as_posix()
    rank = LONGEST_FILES.index(path) if path in LONGEST_FILES else len(LONGEST_FILES)
    return rank, item.get_closest_marker("e2e") is None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long files first (LONGEST_FILES, longest first), then the other end-to-end files, then the
    rest in their usual order.

    `python3 dev.py test` hands whole files to its workers in this order: a long file (real dagster
    dev, streamlit, chromium, the benchmark) started last would leave one worker running it while
    the others idle. Tests do not depend on their order; a serial run is unchanged but for the
    order.
    """
    items.sort(key=run_order)


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist, absent under -p no:xdist
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """For `--dist loadfile` (python3 dev.py test): tests/file_schedule.py, which keeps the next long
    file from waiting behind a long file's last test."""
    if config.getoption("dist", None) != "loadfile":
        return None
    from tests.file_schedule import LongFilesAlone

    return LongFilesAlone(config, log, long_files=[f"tests/{path}" for path in LONGEST_FILES])
