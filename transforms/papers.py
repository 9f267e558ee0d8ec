"""Raw items -> `papers` rows (one per paper of the day)."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl

from transforms import table_schemas
from transforms.raw_fields import (
    AUTHORS,
    GITHUB_STARS,
    NUM_COMMENTS,
    ORGANIZATION,
    PAPER_ID,
    PUBLISHED_AT_TEXT,
    SUBMITTER_USERNAME,
    SUMMARY,
    THUMBNAIL,
    TITLE,
    UPVOTES,
    paper_field,
    parse_api_timestamp,
)
from transforms.text import collapse_whitespace


def papers_frame(items: pl.DataFrame, listing_date: date, fetched_at: datetime) -> pl.DataFrame:
    """One `papers` row per item; items must already be checked and deduplicated.

    listing_date is the day requested (the partition), never the item's
    publishedAt, whose meaning changed between API eras.
    """
    return items.select(
        PAPER_ID.alias("paper_id"),
        collapse_whitespace(TITLE).alias("title"),
        collapse_whitespace(SUMMARY).alias("summary"),
        parse_api_timestamp(PUBLISHED_AT_TEXT).alias("published_at"),
        pl.lit(listing_date, dtype=pl.Date).alias("listing_date"),
        UPVOTES.alias("upvotes"),
        NUM_COMMENTS.alias("num_comments"),
        SUBMITTER_USERNAME.alias("submitted_by"),
        ORGANIZATION.struct.field("name").alias("organization"),
        paper_field("githubRepo").str.strip_chars_end("/").alias("github_repo"),
        GITHUB_STARS.alias("github_stars"),
        paper_field("projectPage").alias("project_page"),
        paper_field("ai_summary").alias("ai_summary"),
        paper_field("ai_keywords").alias("ai_keywords"),
        paper_field("discussionId").alias("discussion_id"),
        THUMBNAIL.alias("thumbnail"),
        AUTHORS.list.len().fill_null(0).alias("author_count"),
        pl.lit(fetched_at, dtype=table_schemas.TIMESTAMP).alias("fetched_at"),
    ).pipe(table_schemas.conform, table_schemas.PAPERS)
