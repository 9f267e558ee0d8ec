"""Dashboard fixtures: a seeded published warehouse in a temporary PAPERS_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.repository import WarehouseRepository
from papers_settings import Settings
from tests.dashboard.seed import seed_warehouse


@pytest.fixture
def warehouse_path(papers_home) -> Path:
    """The published warehouse of a temp PAPERS_HOME, seeded with `tests.dashboard.seed`."""
    return seed_warehouse(Settings.from_env().warehouse.published_path)


@pytest.fixture
def repo(warehouse_path) -> WarehouseRepository:
    """A repository over the seeded warehouse."""
    return WarehouseRepository(warehouse_path)
