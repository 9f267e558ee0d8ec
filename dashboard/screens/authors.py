"""Authors: the author leaderboard for a date range, with drill-down (see dashboard.leaderboard_page)."""

from __future__ import annotations

from dashboard.leaderboard_page import render_leaderboard
from dashboard.repository import WarehouseRepository


def render(repo: WarehouseRepository) -> None:
    """Draw the Authors page from `repo`."""
    render_leaderboard(repo, "authors")


if __name__ == "__main__":
    from dashboard.context import current_repository

    render(current_repository())
