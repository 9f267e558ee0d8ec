"""Queries of the Browse and Trending pages and the Data health calendar, on the macros and views
of warehouse/views/060_browse.sql. Mixed into `WarehouseRepository`, which provides `frame()`."""

from __future__ import annotations

from datetime import date

import polars as pl

# What each page needs from the warehouse (a warehouse published before 060_browse.sql lacks them).
BROWSE_NEEDS = {
    "browse": ["paper_cards_between", "adjacent_listing_days"],
    "trending": ["trending_papers", "votes_as_of"],
    "calendar": ["load_calendar"],
}


class BrowseQueries:
    """Methods over paper_cards_top (paper_cards_between), adjacent_listing_days, trending_papers, load_calendar."""

    def frame(self, sql: str, params: list | dict | None = None) -> pl.DataFrame:  # pragma: no cover
        raise NotImplementedError

    def missing_objects(self, names: list[str]) -> list[str]:  # pragma: no cover
        raise NotImplementedError

    def paper_cards(self, start: date, end: date, limit: int = 60) -> pl.DataFrame:
        """The `limit` most upvoted papers listed in [start, end], with what a card shows."""
        if self.missing_objects(["paper_cards_top"]):  # a snapshot published before it: the same rows
            return self.frame("SELECT * FROM paper_cards_between(?, ?) LIMIT ?", [start, end, limit])
        return self.frame("SELECT * FROM paper_cards_top(?, ?, ?)", [start, end, limit])

    def period_summary(self, start: date, end: date) -> dict:
        """Papers, upvotes and listing days with papers in [start, end]."""
        return self.frame(
            "SELECT count(*) AS papers, CAST(coalesce(sum(upvotes), 0) AS BIGINT) AS upvotes, "
            "count(DISTINCT listing_date) AS days FROM papers WHERE listing_date BETWEEN ? AND ?",
            [start, end],
        ).row(0, named=True)

    def adjacent_days(self, day: date) -> tuple[date | None, date | None]:
        """The listing days with papers just before and just after `day` (None at either end)."""
        row = self.frame("SELECT previous_day, next_day FROM adjacent_listing_days(?)", [day]).row(0)
        return row[0], row[1]

    def trending(self, n_days: int = 7, gain_days: int = 1, limit: int = 500) -> pl.DataFrame:
        """The hottest `limit` papers listed in the newest `n_days` listing days, with upvotes
        gained over the last `gain_days` of vote history."""
        if self.missing_objects(["trending_papers_top"]):  # a snapshot published before it: the same rows
            return self.frame("SELECT * FROM trending_papers(?, ?) LIMIT ?", [n_days, gain_days, limit])
        return self.frame("SELECT * FROM trending_papers_top(?, ?, ?)", [n_days, gain_days, limit])

    def votes_as_of(self):
        """The newest vote observation: the time hotness and gains are measured at."""
        return self.frame("SELECT as_of FROM votes_as_of")["as_of"][0]

    def load_calendar(self) -> pl.DataFrame:
        """Every calendar day from the first to the last loaded day: loaded, quarantined or missing."""
        return self.frame("SELECT listing_date, status, papers, quarantined FROM load_calendar")
