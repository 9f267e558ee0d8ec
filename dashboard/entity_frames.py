"""Pure Polars summaries of one entity's papers (the frame `entity_papers` returns), and the
tables the entity pages show, with links in place of ids and no empty cells shown as 'None'."""

from __future__ import annotations

from datetime import date
from typing import cast

import polars as pl

from dashboard.links import hf_profile_url, with_link


def figures(papers: pl.DataFrame) -> dict:
    """Papers, total and median upvotes, first and last listing date of `papers`."""
    if not papers.height:
        return {"papers": 0, "upvotes": 0, "median_upvotes": None, "first": None, "last": None}
    return {
        "papers": papers.height,
        "upvotes": int(papers["upvotes"].sum()),
        "median_upvotes": float(cast(float, papers["upvotes"].median())),
        "first": papers["listing_date"].min(),
        "last": papers["listing_date"].max(),
    }


def papers_per_month(papers: pl.DataFrame) -> pl.DataFrame:
    """One row per calendar month from the first paper's to the last's (months without a paper
    included, as 0): month (first day), papers, upvotes."""
    schema = pl.Schema({"month": pl.Date, "papers": pl.UInt32, "upvotes": pl.Int64})
    if not papers.height:
        return pl.DataFrame(schema=schema)
    counted = papers.group_by(pl.col("listing_date").dt.truncate("1mo").alias("month")).agg(
        pl.len().alias("papers"), pl.col("upvotes").sum().cast(pl.Int64).alias("upvotes")
    )
    first, last = cast(date, counted["month"].min()), cast(date, counted["month"].max())
    months = pl.date_range(first, last, "1mo", eager=True).alias("month")
    return (
        months.to_frame()
        .join(counted, on="month", how="left")
        .with_columns(pl.col("papers").fill_null(0), pl.col("upvotes").fill_null(0))
        .cast(schema)
    )


def papers_by(papers: pl.DataFrame, column: str) -> pl.DataFrame:
    """How many of `papers` (and their upvotes) each value of `column` has, most papers first;
    papers without a value are left out."""
    return (
        papers.filter(pl.col(column).is_not_null())
        .group_by(column)
        .agg(
            pl.len().alias("papers"),
            pl.col("upvotes").sum().cast(pl.Int64).alias("upvotes"),
            pl.col("listing_date").max().alias("last_listing_date"),
        )
        .sort(["papers", "upvotes", column], descending=[True, True, False])
    )


def paper_table(papers: pl.DataFrame) -> pl.DataFrame:
    """`papers` for display: title, organisation and submitter as links, no nulls in text."""
    shown = with_link(papers, "paper", "paper_id", "title", "paper")
    shown = with_link(shown, "organization", "organization", "organization", "organization_link")
    shown = with_link(shown, "submitter", "submitted_by", "submitted_by", "submitter_link")
    return shown.select(
        "paper",
        "listing_date",
        "upvotes",
        pl.col("num_comments").fill_null(0),
        "author_count",
        pl.col("organization_link").fill_null(""),
        pl.col("submitter_link").fill_null(""),
        pl.col("github_repo").fill_null(""),
    )


def people_table(people: pl.DataFrame) -> pl.DataFrame:
    """`entity_people` rows for display: the name links to the author page, the HF username to
    the HF profile (empty when unclaimed)."""
    shown = with_link(people, "author", "author_id", "name", "author")
    profiles = [hf_profile_url(u) if u else "" for u in people["hf_username"].to_list()]
    return shown.with_columns(pl.Series("hf_profile", profiles, dtype=pl.String)).select(
        "author", "hf_profile", "papers", pl.col("upvotes").cast(pl.Int64), "last_listing_date"
    )


def grouped_table(papers: pl.DataFrame, column: str, entity: str) -> pl.DataFrame:
    """`papers_by(papers, column)` with the value as a link to its `entity` page."""
    counted = papers_by(papers, column)
    return with_link(counted, entity, column, column, "link").select("link", "papers", "upvotes", "last_listing_date")


def month_label(value: date | None) -> str:
    """'Jan 2025', or an em dash."""
    return value.strftime("%b %Y") if value else "—"
