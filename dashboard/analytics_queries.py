"""Queries on the analytics views of `warehouse/views/*.sql` (leaderboards, trends, search...).

Mixed into `WarehouseRepository`, which provides `frame()`. Each method names the views it needs
in `NEEDS`, so a page can say clearly what is missing on a warehouse published before them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

from dashboard.search_ranking import search_top
from dashboard.snapshot import open_snapshot
from warehouse.paths import DuckLakeLocation

# What a board page shows: the leaderboard macro (author_leaderboard, organization_leaderboard,
# submitter_leaderboard) without its costliest column (co-authors, or the distinct authors of an
# organisation or submitter), which the drill-down gives for one row.
BOARDS = {
    "authors": "author_ranking_top",
    "organizations": "organization_ranking_top",
    "submitters": "submitter_ranking_top",
}
# Each board's number of rows without computing the board: one row per author, organisation or
# submitter with a paper in the range.
LEADERBOARD_SIZE_SQL = {
    "authors": "SELECT count(DISTINCT author_key) AS n FROM author_papers_between($1, $2)",
    "organizations": "SELECT count(DISTINCT organization) AS n FROM papers_between($1, $2)",
    "submitters": "SELECT count(DISTINCT submitted_by) AS n FROM papers_between($1, $2)",
}
NEEDS = {
    # what the leaderboard pages' queries call (boards, sizes, drill-downs)
    "leaderboard": [*BOARDS.values(), "papers_between", "author_papers_between", "author_key"],
    "trends": ["keyword_weekly", "rising_keywords_between", "keyword_coverage"],
    "search": ["search_papers_top"],
    "similar": ["similar_papers"],
    "velocity": ["paper_velocity"],
    "rising": ["rising_papers"],
}
DRILLDOWN = {
    # ap.listing_date repeats the range so DuckDB skips the other days' rows; the author's rows are
    # found by their integer key (unique: asset check author_keys_unique), not by comparing text
    "authors": (
        "SELECT p.* FROM papers p JOIN author_papers ap USING (paper_id) WHERE ap.author_key = author_key($key) "
        "AND ap.listing_date BETWEEN $start AND $end"
    ),
    "organizations": "SELECT p.* FROM papers p WHERE p.organization = $key",
    "submitters": "SELECT p.* FROM papers p WHERE p.submitted_by = $key",
}


class AnalyticsQueries:
    """Methods over the shared analytics views and macros."""

    path: Path | DuckLakeLocation  # the published warehouse (WarehouseRepository)

    def frame(self, sql: str, params: list | dict | None = None) -> pl.DataFrame:  # pragma: no cover
        raise NotImplementedError

    def missing_objects(self, names: list[str]) -> list[str]:  # pragma: no cover
        raise NotImplementedError

    def leaderboard(self, kind: str, start: date, end: date, limit: int | None = None) -> pl.DataFrame:
        """The `kind` leaderboard ('authors', 'organizations', 'submitters') for listings in
        [start, end]: its first `limit` rows (None: all)."""
        if kind not in BOARDS:
            raise ValueError(f"kind must be one of {sorted(BOARDS)}, not {kind!r}")
        return self.frame(f"SELECT * FROM {BOARDS[kind]}(?, ?, ?)", [start, end, limit])

    def leaderboard_size(self, kind: str, start: date, end: date) -> int:
        """How many rows the `kind` leaderboard has for [start, end]."""
        if kind not in LEADERBOARD_SIZE_SQL:
            raise ValueError(f"kind must be one of {sorted(LEADERBOARD_SIZE_SQL)}, not {kind!r}")
        return self.frame(LEADERBOARD_SIZE_SQL[kind], [start, end])["n"][0]

    def leaderboard_papers(self, kind: str, key: str, start: date, end: date) -> pl.DataFrame:
        """Papers behind one leaderboard row (an author id, organisation slug or submitter)."""
        if kind not in DRILLDOWN:
            raise ValueError(f"kind must be one of {sorted(DRILLDOWN)}, not {kind!r}")
        return self.frame(
            f"SELECT paper_id, title, listing_date, upvotes, organization, submitted_by FROM ({DRILLDOWN[kind]}) "
            "WHERE listing_date BETWEEN $start AND $end ORDER BY upvotes DESC, paper_id",
            {"key": key, "start": start, "end": end},
        )

    def distinct_authors(self, kind: str, key: str, start: date, end: date) -> int:
        """How many different people are listed on the papers behind one leaderboard row in
        [start, end] (for an author: the author and the co-authors)."""
        if kind not in DRILLDOWN:
            raise ValueError(f"kind must be one of {sorted(DRILLDOWN)}, not {kind!r}")
        return self.frame(
            "SELECT count(DISTINCT author_key) AS n FROM author_papers_between($start, $end) WHERE paper_id IN "
            f"(SELECT paper_id FROM ({DRILLDOWN[kind]}) WHERE listing_date BETWEEN $start AND $end)",
            {"key": key, "start": start, "end": end},
        )["n"][0]

    def co_authors(self, author_id: str, start: date, end: date) -> int:
        """How many other people are listed on the author's papers of [start, end] (0 if none);
        author_co_authors for one author, counted like distinct_authors (the author is one of them)."""
        return max(self.distinct_authors("authors", author_id, start, end) - 1, 0)

    def author(self, author_id: str) -> dict | None:
        """One author's id, name and HF username, or None."""
        rows = self.frame("SELECT author_id, name, hf_username FROM authors WHERE author_id = ?", [author_id])
        return rows.row(0, named=True) if rows.height else None

    def keyword_weekly(self, keywords: list[str]) -> pl.DataFrame:
        """Weekly paper counts of the given keywords."""
        return self.frame(
            "SELECT week_start, keyword, papers FROM keyword_weekly WHERE list_contains(?, keyword) ORDER BY week_start, keyword",
            [keywords],
        )

    def top_keywords(self, limit: int = 15) -> pl.DataFrame:
        """The keywords on most papers overall."""
        return self.frame(
            "SELECT keyword, sum(papers) AS papers FROM keyword_weekly GROUP BY ALL ORDER BY papers DESC, keyword LIMIT ?",
            [limit],
        )

    def rising_keywords(self, limit: int = 25) -> pl.DataFrame:
        """Keywords of the newest week ranked by how far above their own baseline they are."""
        return self.frame(
            "SELECT * FROM rising_keywords_between((SELECT max(week_start) FROM keyword_weekly), "
            "(SELECT max(week_start) FROM keyword_weekly)) "
            "ORDER BY z_score DESC NULLS LAST, papers DESC, keyword LIMIT ?",
            [limit],
        )

    def keyword_coverage(self) -> pl.DataFrame:
        """Share of each week's papers that carry keywords at all."""
        return self.frame("SELECT week_start, papers, papers_with_keywords, coverage FROM keyword_coverage ORDER BY week_start")

    def search(self, query_text: str, limit: int = 50) -> pl.DataFrame:
        """Full-text search over titles and abstracts, best match first."""
        with open_snapshot(self.path) as con:
            found = search_top(con, query_text, limit)
            if found is None:  # a snapshot indexed by an older release: its own macro does the same, slower
                found = con.execute("SELECT * FROM search_papers_top(?, ?)", [query_text, limit]).pl()
        return found

    def similar_papers(self, paper_id: str, limit: int = 8) -> pl.DataFrame:
        """Papers most similar to `paper_id`, with titles."""
        return self.frame(
            "SELECT s.rank, s.similar_paper_id AS paper_id, p.title, p.listing_date, p.upvotes, s.score "
            "FROM similar_papers s JOIN papers p ON p.paper_id = s.similar_paper_id "
            "WHERE s.paper_id = ? ORDER BY s.rank LIMIT ?",
            [paper_id, limit],
        )

    def velocity(self, paper_id: str) -> dict | None:
        """One paper's vote-velocity row (upvotes per day, hours to 50 % / 90 %, hotness)."""
        if self.missing_objects(["paper_velocity", "paper_velocity_of"]):  # published before paper_velocity_of
            rows = self.frame("SELECT * FROM paper_velocity WHERE paper_id = ?", [paper_id])
        else:
            # the same row as the view's: the view asked for one paper still computed every paper's
            # votes (~45 ms at 10x), the macro reads that paper's alone (~4 ms)
            rows = self.frame("SELECT * FROM paper_velocity_of([$id])", {"id": paper_id})
        return rows.row(0, named=True) if rows.height else None

    def rising_papers(self, n_days: int = 3) -> pl.DataFrame:
        """Papers gaining upvotes fastest over the last `n_days`."""
        return self.frame("SELECT * FROM rising_papers(?)", [n_days])
