"""Pure Polars shaping of what the entity pages show: every month in the chart, and the tables
with links in place of ids and no empty cells shown as 'None'."""

from __future__ import annotations

from datetime import date
from typing import cast

import polars as pl

from dashboard.links import hf_profile_url, with_link


def fill_months(counted: pl.DataFrame) -> pl.DataFrame:
    """`counted` (month, papers, upvotes for the months with papers, as `entity_months` gives
    them) with every calendar month from the first to the last, empty ones as 0."""
    schema = pl.Schema({"month": pl.Date, "papers": pl.Int64, "upvotes": pl.Int64})
    if not counted.height:
        return pl.DataFrame(schema=schema)
    counted = counted.cast(schema)
    first, last = cast(date, counted["month"].min()), cast(date, counted["month"].max())
    months = pl.date_range(first, last, "1mo", eager=True).alias("month")
    return (
        months.to_frame()
        .join(counted, on="month", how="left")
        .with_columns(pl.col("papers").fill_null(0), pl.col("upvotes").fill_null(0))
        .cast(schema)
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
    """`entity_people_page` rows for display: the name links to the author page, the HF username to
    the HF profile (empty when unclaimed)."""
    shown = with_link(people, "author", "author_id", "name", "author")
    profiles = [hf_profile_url(u) if u else "" for u in people["hf_username"].to_list()]
    return shown.with_columns(pl.Series("hf_profile", profiles, dtype=pl.String)).select(
        "author", "hf_profile", "papers", pl.col("upvotes").cast(pl.Int64), "last_listing_date"
    )


def related_table(counted: pl.DataFrame, entity: str) -> pl.DataFrame:
    """`entity_related` rows with the value as a link to its `entity` page."""
    return with_link(counted, entity, "value", "value", "link").select("link", "papers", "upvotes", "last_listing_date")


def month_label(value: date | None) -> str:
    """'Jan 2025', or an em dash."""
    return value.strftime("%b %Y") if value else "—"
