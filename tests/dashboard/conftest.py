"""Dashboard fixtures: a seeded published warehouse in a temporary PAPERS_HOME.

The seeded file is built once per session (per xdist worker) and each test gets its own copy: a
copy of the checkpointed 5 MB file takes milliseconds, seeding it took 0.5-1 s per test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.repository import WarehouseRepository
from tests.dashboard.seed import publish_copy, seed_warehouse


@pytest.fixture(scope="session", autouse=True)
def component_manifests_scanned_once():
    """Every AppTest's first run scans all installed distributions for Streamlit components
    (~0.3 s of CPU each, hundreds of times a session); the installed set cannot change during a
    session, so the scan's answer is kept. A server does this once, at its start."""
    from streamlit.components.v2 import manifest_scanner

    found = manifest_scanner.scan_component_manifests()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests", lambda *args, **kwargs: list(found))
        yield


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory) -> Path:
    """The warehouse of `tests.dashboard.seed`, built once; tests copy it, never open it."""
    return seed_warehouse(tmp_path_factory.mktemp("seeded") / "warehouse.duckdb")


@pytest.fixture
def warehouse_path(papers_home, seeded_file) -> Path:
    """The published warehouse of a temp PAPERS_HOME: this test's own copy of the seeded one."""
    return publish_copy(seeded_file)


@pytest.fixture
def repo(warehouse_path) -> WarehouseRepository:
    """A repository over the seeded warehouse."""
    return WarehouseRepository(warehouse_path)
