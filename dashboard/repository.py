"""Every number the dashboard shows comes from one method here: parameterised SQL on the
published warehouse's tables and views, one read-only cursor per query on the current snapshot
(dashboard/snapshot.py).

Pages receive a repository as an argument (tests pass one over a seeded file). Methods return
Polars frames (or plain values). Results are remembered per published snapshot only
(dashboard/snapshot.py `remembered_result`): a snapshot never changes, and a publish swaps in a
new one with nothing remembered, so the next query sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from pathlib import Path
from typing import TypeVar

import duckdb
import polars as pl

from dashboard.analytics_queries import AnalyticsQueries
from dashboard.browse_queries import BrowseQueries
from dashboard.entity_queries import EntityQueries
from dashboard.filters import RANKINGS, PaperFilters, where_clause
from dashboard.health_queries import HealthQueries
from dashboard.snapshot import Source, once_per_snapshot, open_snapshot, remembered_result, source_exists
from warehouse.paths import DuckLakeLocation

GRAINS = ("day", "week", "month")
UPVOTE_BUCKETS = [(0, 0), (1, 4), (5, 9), (10, 24), (25, 49), (50, 99), (100, 199), (200, None)]
T = TypeVar("T")


class WarehouseRepository(AnalyticsQueries, HealthQueries, EntityQueries, BrowseQueries):
    """Read-only queries over the published warehouse at `path` (or the DuckLake warehouse's
    newest published snapshot when `path` is a DuckLakeLocation). With `remember=False` every
    call queries the warehouse (the benchmark times queries, not the memory)."""

    def __init__(self, path: Path | str | DuckLakeLocation, remember: bool = True) -> None:
        self.path: Source = path if isinstance(path, DuckLakeLocation) else Path(path)
        self.remember = remember

    # -- plumbing -------------------------------------------------------------------------
    def exists(self) -> bool:
        """Whether a published warehouse is there to read."""
        return source_exists(self.path)

    def frame(self, sql: str, params: list | dict | None = None) -> pl.DataFrame:
        """Run read-only `sql` with bound `params` and return the result as a Polars frame."""

        def run(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
            # execute(), not sql(params=): see dashboard/search_ranking.py
            return con.execute(sql, params or []).pl()

        # clone(): callers get their own frame object (cheap: the columns are shared, not copied)
        return self.remembered(("frame", sql, frozen(params)), run, frame_bytes).clone()

    def scalar(self, sql: str, params: list | None = None):
        """The first column of the first row of `sql` (None if there is no row)."""

        def run(con: duckdb.DuckDBPyConnection):
            rows = con.execute(sql, params or []).fetchall()
            return rows[0][0] if rows else None

        return self.remembered(("scalar", sql, frozen(params)), run)

    def remembered(
        self, key: Hashable, compute: Callable[[duckdb.DuckDBPyConnection], T], size: Callable[[T], int] = lambda _: 0
    ) -> T:
        """`compute(cursor)` on the current snapshot, remembered for that snapshot unless
        `remember` is off (`size` tells the memory what a result weighs; small answers weigh 0)."""
        if not self.remember:
            with open_snapshot(self.path) as con:
                return compute(con)
        return remembered_result(self.path, key, compute, size)

    def missing_objects(self, names: list[str]) -> list[str]:
        """Which of the views, tables or macros in `names` this warehouse does not have
        (asked once per published snapshot: listing macros costs ~25 ms)."""
        return once_per_snapshot(self.path, ("missing", tuple(names)), lambda con: _missing_objects(con, names))

    # -- freshness ------------------------------------------------------------------------
    def data_as_of(self) -> dict:
        """Newest listing date, number of papers and the last publish time."""

        def ask(con: duckdb.DuckDBPyConnection) -> dict:
            newest, papers = con.execute("SELECT max(listing_date), count(*) FROM papers").fetchall()[0]
            published = con.execute("SELECT max(published_at) FROM publish_log").fetchall()[0][0]
            return {"newest_listing_date": newest, "papers": papers, "last_publish": published}

        return dict(self.remembered("data_as_of", ask))

    # -- overview -------------------------------------------------------------------------
    def kpis(self, start: date, end: date) -> dict:
        """Papers, upvotes, median upvotes, distinct authors and organisations listed in [start, end]."""
        row = self.frame(
            """
            SELECT count(*) AS papers,
                   CAST(coalesce(sum(upvotes), 0) AS BIGINT) AS upvotes,
                   median(upvotes) AS median_upvotes,
                   (SELECT count(DISTINCT author_id) FROM paper_authors
                     WHERE listing_date BETWEEN $start AND $end) AS authors,
                   count(DISTINCT organization) AS organizations
            FROM papers WHERE listing_date BETWEEN $start AND $end
            """,
            {"start": start, "end": end},
        ).row(0, named=True)
        return row

    def papers_per_period(self, grain: str, start: date | None = None, end: date | None = None) -> pl.DataFrame:
        """Papers and upvotes per listing day, week (Monday) or month."""
        if grain not in GRAINS:
            raise ValueError(f"grain must be one of {GRAINS}, not {grain!r}")
        return self.frame(
            f"""
            SELECT CAST(date_trunc('{grain}', listing_date) AS DATE) AS period_start,
                   count(*) AS papers, CAST(sum(upvotes) AS BIGINT) AS upvotes
            FROM papers
            WHERE listing_date >= coalesce($start, DATE '0001-01-01')
              AND listing_date <= coalesce($end, DATE '9999-12-31')
            GROUP BY ALL ORDER BY period_start
            """,
            {"start": start, "end": end},
        )

    def upvote_distribution(self, start: date, end: date) -> pl.DataFrame:
        """How many papers listed in [start, end] fall in each upvote bucket (all buckets, in order)."""
        cases = " ".join(
            f"WHEN upvotes >= {lo}" + (f" AND upvotes <= {hi}" if hi is not None else "") + f" THEN {i}"
            for i, (lo, hi) in enumerate(UPVOTE_BUCKETS)
        )
        counts = self.frame(
            f"SELECT CASE {cases} END AS bucket, count(*) AS papers FROM papers WHERE listing_date BETWEEN ? AND ? GROUP BY ALL",
            [start, end],
        )
        labels = pl.DataFrame(
            {
                "bucket": list(range(len(UPVOTE_BUCKETS))),
                "upvotes": [f"{lo}+" if hi is None else (f"{lo}" if lo == hi else f"{lo}–{hi}") for lo, hi in UPVOTE_BUCKETS],
            },
            schema={"bucket": pl.Int32, "upvotes": pl.String},
        )
        joined = labels.join(counts.with_columns(pl.col("bucket").cast(pl.Int32)), on="bucket", how="left")
        return joined.select("upvotes", pl.col("papers").fill_null(0))

    # -- papers ---------------------------------------------------------------------------
    def filter_options(self) -> dict[str, list[str]]:
        """Organisations, submitters and keywords present, for the Papers page's pickers."""
        options = self.remembered("filter_options", _filter_options)
        return {name: list(values) for name, values in options.items()}

    def date_bounds(self) -> tuple[date | None, date | None]:
        """Oldest and newest listing date."""
        return self.remembered(
            "date_bounds", lambda con: con.execute("SELECT min(listing_date), max(listing_date) FROM papers").fetchall()[0]
        )

    def papers(self, filters: PaperFilters) -> pl.DataFrame:
        """Papers matching `filters`, ranked as asked, at most `filters.limit` rows."""
        where, params = where_clause(filters)
        velocity = not self.missing_objects(["paper_velocity", "paper_velocity_of"])
        if filters.rank_by != "upvotes" and not velocity:
            raise LookupError("Ranking by hotness or velocity needs the paper_velocity view.")
        columns = (
            "p.paper_id, p.title, p.listing_date, CAST(p.published_at AS DATE) AS arxiv_date, "
            "p.upvotes, p.num_comments, p.organization, p.submitted_by, "
            "p.github_repo, p.project_page, p.ai_keywords AS keywords"
        )
        if filters.rank_by == "upvotes" and velocity:
            return self._papers_then_velocity(columns, where, params, filters)
        join = "LEFT JOIN paper_velocity v USING (paper_id)" if velocity else ""
        extra = ", v.hotness, v.upvotes_per_day" if velocity else ""
        return self.frame(
            f"""
            SELECT {columns}{extra}
            FROM papers p {join}
            WHERE {where}
            ORDER BY {RANKINGS[filters.rank_by]}, p.paper_id
            LIMIT {int(filters.limit)}
            """,
            params,
        )

    def _papers_then_velocity(self, columns: str, where: str, params: list, filters: PaperFilters) -> pl.DataFrame:
        # Ranked by upvotes, the page needs velocity only for the rows it shows: asking the view
        # for those ids lets DuckDB skip the other papers' votes (a join computes them all).
        top_sql = (
            f"SELECT {columns} FROM papers p WHERE {where} ORDER BY {RANKINGS['upvotes']}, p.paper_id LIMIT {int(filters.limit)}"
        )

        def run(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
            top = con.execute(top_sql, params).pl()
            rates = con.execute(
                "SELECT paper_id, hotness, upvotes_per_day FROM paper_velocity_of($ids::VARCHAR[])",
                {"ids": top["paper_id"].to_list()},
            ).pl()
            return top.join(rates, on="paper_id", how="left", maintain_order="left")

        key = ("papers_then_velocity", top_sql, frozen(params))
        return self.remembered(key, run, frame_bytes).clone()

    def count_papers(self, filters: PaperFilters) -> int:
        """How many papers match `filters` (ignoring the row limit)."""
        where, params = where_clause(filters)
        return self.scalar(f"SELECT count(*) FROM papers p WHERE {where}", params)

    # -- one paper ------------------------------------------------------------------------
    def paper(self, paper_id: str) -> dict | None:
        """Every column of one paper, or None when the id is unknown."""
        rows = self.frame("SELECT * FROM papers WHERE paper_id = ?", [paper_id])
        return rows.row(0, named=True) if rows.height else None

    def paper_authors(self, paper_id: str) -> pl.DataFrame:
        """The paper's authors in listed order, with their stable ids."""
        return self.frame(
            "SELECT pa.position, pa.author_id, a.name, a.hf_username FROM paper_authors pa "
            "JOIN authors a USING (author_id) WHERE pa.paper_id = ? ORDER BY pa.position",
            [paper_id],
        )

    def vote_history(self, paper_id: str) -> pl.DataFrame:
        """Every observed upvote count of one paper, oldest first."""
        return self.frame(
            "SELECT observed_at, upvotes, num_comments FROM votes WHERE paper_id = ? ORDER BY observed_at",
            [paper_id],
        )

    def paper_titles(self, limit: int = 2000) -> pl.DataFrame:
        """Newest papers' ids and titles, for the paper picker."""
        return self.frame("SELECT paper_id, title FROM papers ORDER BY listing_date DESC, upvotes DESC LIMIT ?", [limit])


def _missing_objects(con, names: list[str]) -> list[str]:
    # Views and tables first: listing duckdb_functions() (every built-in too) costs ~100 ms.
    found = {
        row[0]
        for row in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal AND list_contains($1, view_name) "
            "UNION SELECT table_name FROM duckdb_tables() WHERE list_contains($1, table_name)",
            [names],
        ).fetchall()
    }
    rest = [name for name in names if name not in found]
    if rest:
        found |= {
            row[0]
            for row in con.execute(
                "SELECT function_name FROM duckdb_functions() "
                "WHERE function_type IN ('macro', 'table_macro') AND list_contains($1, function_name)",
                [rest],
            ).fetchall()
        }
    return [name for name in names if name not in found]


def _filter_options(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, ...]]:
    def distinct(sql: str) -> tuple[str, ...]:
        return tuple(row[0] for row in con.execute(sql).fetchall())

    return {
        "organizations": distinct("SELECT DISTINCT organization FROM papers WHERE organization IS NOT NULL ORDER BY 1"),
        "submitters": distinct("SELECT DISTINCT submitted_by FROM papers WHERE submitted_by IS NOT NULL ORDER BY 1"),
        "keywords": distinct("SELECT DISTINCT keyword FROM keyword_weekly ORDER BY 1"),
    }


def frozen(params: list | dict | None) -> Hashable:
    """`params` as a hashable key (lists become tuples, dicts sorted item tuples)."""
    if isinstance(params, dict):
        return tuple(sorted((name, frozen(value)) for name, value in params.items()))
    if isinstance(params, list | tuple):
        return tuple(frozen(value) for value in params)
    return params


def frame_bytes(frame: pl.DataFrame) -> int:
    """What a frame weighs in memory, for the snapshot's result memory."""
    return int(frame.estimated_size())
