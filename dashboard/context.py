"""What a running dashboard works with: the Settings of its environment and the published
warehouse of its PAPERS_HOME."""

from __future__ import annotations

from dashboard.repository import WarehouseRepository
from papers_settings import Settings


def current_settings() -> Settings:
    """The dashboard's Settings, read now (the environment may change between tests)."""
    return Settings.from_env()


def current_repository() -> WarehouseRepository:
    """A repository over `$PAPERS_HOME/warehouse.duckdb` (or the DuckLake warehouse when
    PAPERS_DUCKLAKE_* are set), resolved now."""
    warehouse = current_settings().warehouse
    return WarehouseRepository(warehouse.ducklake or warehouse.published_path)
