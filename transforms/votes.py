"""Flat records -> `votes` rows: the upvote count one fetch observed for each paper."""

from __future__ import annotations

import polars as pl

from transforms import table_schemas


def votes_frame(flat: pl.DataFrame) -> pl.DataFrame:
    """One `votes` row per (checked, deduplicated) record, observed at its fetch time."""
    return flat.select(
        pl.col("fetch"),
        pl.col("paper_id"),
        pl.col("fetched_at").alias("observed_at"),
        pl.col("upvotes"),
        pl.col("num_comments"),
        pl.col("listing_date"),
    ).pipe(table_schemas.conform_batch, table_schemas.VOTES)
