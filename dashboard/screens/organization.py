"""One organization by `?id=`, all time (see dashboard.entity_page)."""

from __future__ import annotations

from dashboard.entity_page import render_entity
from dashboard.repository import WarehouseRepository


def render(repo: WarehouseRepository) -> None:
    """Draw the organization page from `repo`."""
    render_entity(repo, "organizations")


if __name__ == "__main__":
    from dashboard.context import current_repository

    render(current_repository())
