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

    def entity_people_page(self, kind, key, limit, offset=0, latest=None, keys=None):
        self.seen.setdefault("entity_people_page", []).append((kind, key, limit, offset, latest, keys is not None))
        return super().entity_people_page(kind, key, limit, offset, latest, keys)

    def entity_papers_page(self, kind, key, limit, offset=0, keys=None):
        self.seen.setdefault("entity_papers_page", []).append((kind, key, limit, offset, keys is not None))
        return super().entity_papers_page(kind, key, limit, offset, keys)

    def find_authors(self, name_text, limit=50):
        self.seen.setdefault("find_authors", []).append((name_text, limit))
        return super().find_authors(name_text, limit)

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


def test_entity_pages_are_timed_on_the_largest_entities_and_the_search_on_typed_needles(tmp_path):
    from dashboard.author_search import SHOWN
    from dashboard.entity_page import PAGE_ROWS, PEOPLE_LATEST_PAPERS

    repo = RecordingRepository(seed_warehouse(tmp_path / "warehouse.duckdb"))
    repo.seen = {}
    calls, _ = dashboard_calls(repo)
    for kind in ("authors", "organizations", "submitters"):
        calls[f"entity_page[{kind}]"]()
    # Ann Li is on 3 papers (Ben and Cat on 2), deepseek-ai has 2 papers (google 1), akhaliq and
    # alice submitted 2 each (the tie goes to the first username)
    largest = [("authors", "a-ann"), ("organizations", "deepseek-ai"), ("submitters", "akhaliq")]
    # the first page, as the page opens, the people counted on its latest papers, both from the
    # entity's keys (found once per page)
    assert repo.seen["entity_people_page"] == [(*k, PAGE_ROWS, 0, PEOPLE_LATEST_PAPERS, True) for k in largest]
    assert repo.seen["entity_papers_page"] == [(*k, PAGE_ROWS, 0, True) for k in largest]
    for label in ("short", "surname", "two_words", "exact"):
        calls[f"find_authors[{label}]"]()
    assert repo.seen["find_authors"] == [("li", SHOWN), ("Li", SHOWN), ("LI ann", SHOWN), ("Ann Li", SHOWN)]
    assert "find_authors" not in calls
