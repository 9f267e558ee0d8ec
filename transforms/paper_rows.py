"""Flat records -> `papers` rows (one per paper of the day)."""

from __future__ import annotations

import polars as pl

from transforms import table_schemas
from transforms.record_rules import parse_api_timestamp
from transforms.text import collapse_whitespace


def papers_frame(flat: pl.DataFrame) -> pl.DataFrame:
    """One `papers` row per flat record; records must already be checked and deduplicated.

    listing_date is the day requested (the partition), never the item's
    publishedAt, whose meaning changed between API eras.
    """
    return flat.select(
        pl.col("fetch"),
        pl.col("paper_id"),
        collapse_whitespace(pl.col("title")).alias("title"),
        collapse_whitespace(pl.col("summary")).alias("summary"),
        parse_api_timestamp(pl.col("published_at_text")).alias("published_at"),
        pl.col("listing_date"),
        pl.col("upvotes"),
        pl.col("num_comments"),
        pl.coalesce(pl.col("item_submitter"), pl.col("paper_submitter")).alias("submitted_by"),
        pl.col("organization"),
        pl.col("github_repo").str.strip_chars_end("/").alias("github_repo"),
        pl.col("github_stars"),
        pl.col("project_page"),
        pl.col("ai_summary"),
        pl.col("ai_keywords"),
        pl.col("discussion_id"),
        pl.col("thumbnail"),
        pl.col("authors").list.len().fill_null(0).alias("author_count"),
    ).pipe(table_schemas.conform_batch, table_schemas.PAPERS)
