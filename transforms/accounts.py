"""Flat records -> `submitters` and `organizations` rows (HF accounts seen in the batch)."""

from __future__ import annotations

import polars as pl

from transforms import table_schemas
from transforms.text import absolute_hf_url

# Item-level `submittedBy` is richer (isHf, followerCount) and wins; eras without
# it may still carry paper-level `submittedOnDailyBy`.
_FROM_ITEM = pl.col("item_submitter").is_not_null()


def submitters_frame(flat: pl.DataFrame) -> pl.DataFrame:
    """One row per submitter username and fetch, from the first record (record order) that names them."""
    return (
        flat.select(
            pl.col("fetch"),
            pl.coalesce(pl.col("item_submitter"), pl.col("paper_submitter")).alias("username"),
            pl.when(_FROM_ITEM)
            .then(pl.col("item_submitter_fullname"))
            .otherwise(pl.col("paper_submitter_fullname"))
            .alias("fullname"),
            absolute_hf_url(
                pl.when(_FROM_ITEM).then(pl.col("item_submitter_avatar")).otherwise(pl.col("paper_submitter_avatar"))
            ).alias("avatar_url"),
            pl.col("submitter_is_hf").alias("is_hf_staff"),
            pl.col("submitter_followers").alias("follower_count"),
        )
        .filter(pl.col("username").is_not_null())
        .unique(subset=["fetch", "username"], keep="first", maintain_order=True)
        .pipe(table_schemas.conform_batch, table_schemas.SUBMITTERS)
    )


def organizations_frame(flat: pl.DataFrame) -> pl.DataFrame:
    """One row per organisation slug and fetch (paper-level object preferred over the item-level copy)."""
    return (
        flat.select(
            pl.col("fetch"),
            pl.col("organization"),
            # Display names can carry a trailing space ("shanghai ailab ").
            pl.col("organization_fullname").str.strip_chars().alias("fullname"),
            absolute_hf_url(pl.col("organization_avatar")).alias("avatar_url"),
        )
        .filter(pl.col("organization").is_not_null())
        .unique(subset=["fetch", "organization"], keep="first", maintain_order=True)
        .pipe(table_schemas.conform_batch, table_schemas.ORGANIZATIONS)
    )
