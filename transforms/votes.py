"""Raw items -> `votes` rows: the upvote count one fetch observed for each paper."""

from __future__ import annotations

from datetime import date, datetime

import polars as pl

from transforms import table_schemas
from transforms.raw_fields import NUM_COMMENTS, PAPER_ID, UPVOTES


def votes_frame(items: pl.DataFrame, listing_date: date, observed_at: datetime) -> pl.DataFrame:
    """One `votes` row per (checked, deduplicated) item, observed at the fetch time."""
    return items.select(
        PAPER_ID.alias("paper_id"),
        pl.lit(observed_at, dtype=table_schemas.TIMESTAMP).alias("observed_at"),
        UPVOTES.alias("upvotes"),
        NUM_COMMENTS.alias("num_comments"),
        pl.lit(listing_date, dtype=pl.Date).alias("listing_date"),
    ).pipe(table_schemas.conform, table_schemas.VOTES)
