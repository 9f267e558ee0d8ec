"""papers() ranked by upvotes fetches velocity only for its rows: the columns must still match the view."""

from __future__ import annotations

from datetime import date

from dashboard.filters import PaperFilters


def test_upvote_ranking_carries_each_papers_velocity(repo):
    shown = repo.papers(PaperFilters(start=date(2024, 12, 1), end=date(2025, 1, 31)))
    assert shown.height > 0
    expected = repo.frame("SELECT paper_id, hotness, upvotes_per_day FROM paper_velocity")
    by_id = {row["paper_id"]: row for row in expected.iter_rows(named=True)}
    for row in shown.iter_rows(named=True):
        # A paper without vote observations has no velocity row: both columns stay empty.
        want = by_id.get(row["paper_id"], {"hotness": None, "upvotes_per_day": None})
        assert (row["hotness"], row["upvotes_per_day"]) == (want["hotness"], want["upvotes_per_day"])
    # Still in upvote order (ties by listing date, newest first, then id), as before the split.
    keys = [(-r["upvotes"], -r["listing_date"].toordinal(), r["paper_id"]) for r in shown.iter_rows(named=True)]
    assert keys == sorted(keys)


def test_missing_objects_finds_views_tables_and_macros(repo):
    names = ["paper_velocity", "papers", "rising_papers", "no_such_thing"]
    assert repo.missing_objects(names) == ["no_such_thing"]


def test_velocity_of_one_paper_is_the_views_row_for_it(repo, monkeypatch):
    every = repo.frame("SELECT * FROM paper_velocity ORDER BY paper_id")
    assert every.height >= 3
    ids = every["paper_id"].to_list()
    for row in every.iter_rows(named=True):
        assert repo.velocity(row["paper_id"]) == row
    assert repo.velocity("no-such-paper") is None
    # a snapshot published before paper_velocity_of: the view, with the same answer
    monkeypatch.setattr(type(repo), "missing_objects", lambda self, names: ["paper_velocity_of"])
    assert [repo.velocity(paper_id) for paper_id in ids] == list(every.iter_rows(named=True))
