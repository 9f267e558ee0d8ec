"""The repository a running dashboard uses: the published warehouse of the current PAPERS_HOME."""

from __future__ import annotations

from dashboard.repository import WarehouseRepository
from warehouse.settings import published_warehouse_path


def current_repository() -> WarehouseRepository:
    """A repository over `$PAPERS_HOME/warehouse.duckdb`, resolved now (the env may change in tests)."""
    return WarehouseRepository(published_warehouse_path())
