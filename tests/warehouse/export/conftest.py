"""A generated multi-month warehouse, published once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.warehouse.export.generated import generate_warehouse


@pytest.fixture(scope="session")
def generated_published(tmp_path_factory) -> Path:
    """14 months of generated listing days (Jan 2024 to Feb 2025), as a published warehouse file."""
    return generate_warehouse(tmp_path_factory.mktemp("generated") / "warehouse.duckdb")
