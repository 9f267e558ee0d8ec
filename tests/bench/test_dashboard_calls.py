"""The benchmark's dashboard calls: every repository query, with the range its page opens on."""

from __future__ import annotations

from datetime import timedelta

from bench.dashboard_calls import dashboard_calls
from dashboard.leaderboard_page import DEFAULT_DAYS as BOARD_DAYS
from dashboard.repository import WarehouseRepository
from tests.dashboard.seed import seed_warehouse


class RecordingRepository(WarehouseRepository):
    """Remembers the range two queries were asked for: one of a leaderboard page, one of Overview."""

    seen: dict

    def co_authors(self, author_id, start, end):
        self.seen["co_authors"] = (start, end)
        return super().co_authors(author_id, start, end)

    def kpis(self, start, end):
        self.seen["kpis"] = (start, end)
        return super().kpis(start, end)


def test_every_query_is_called_and_leaderboard_pages_use_their_own_range(tmp_path):
    repo = RecordingRepository(seed_warehouse(tmp_path / "warehouse.duckdb"))
    repo.seen = {}
    calls, skipped = dashboard_calls(repo)
    assert skipped == {}
    assert {"co_authors", "kpis", "search", "leaderboard[authors]", "leaderboard_papers[submitters]"} <= set(calls)
    for call in calls.values():
        call()
    newest = repo.date_bounds()[1]
    assert repo.seen["co_authors"] == (newest - timedelta(days=BOARD_DAYS - 1), newest)
    assert repo.seen["kpis"] == (newest - timedelta(days=29), newest)
