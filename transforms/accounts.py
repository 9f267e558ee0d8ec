"""Raw items -> `submitters` and `organizations` rows (HF accounts seen in the batch)."""

from __future__ import annotations

import polars as pl

from transforms import table_schemas
from transforms.raw_fields import (
    ORGANIZATION,
    SUBMITTER_AVATAR,
    SUBMITTER_FOLLOWERS,
    SUBMITTER_FULLNAME,
    SUBMITTER_IS_HF,
    SUBMITTER_USERNAME,
)
from transforms.text import absolute_hf_url


def submitters_frame(items: pl.DataFrame) -> pl.DataFrame:
    """One row per submitter username, taken from the first item (record order) that names them."""
    return (
        items.select(
            SUBMITTER_USERNAME.alias("username"),
            SUBMITTER_FULLNAME.alias("fullname"),
            absolute_hf_url(SUBMITTER_AVATAR).alias("avatar_url"),
            SUBMITTER_IS_HF.alias("is_hf_staff"),
            SUBMITTER_FOLLOWERS.alias("follower_count"),
        )
        .filter(pl.col("username").is_not_null())
        .unique(subset="username", keep="first", maintain_order=True)
        .pipe(table_schemas.conform, table_schemas.SUBMITTERS)
    )


def organizations_frame(items: pl.DataFrame) -> pl.DataFrame:
    """One row per organisation slug (paper-level object preferred over the item-level copy)."""
    return (
        items.select(
            ORGANIZATION.struct.field("name").alias("organization"),
            # Display names can carry a trailing space ("shanghai ailab ").
            ORGANIZATION.struct.field("fullname").str.strip_chars().alias("fullname"),
            absolute_hf_url(ORGANIZATION.struct.field("avatar")).alias("avatar_url"),
        )
        .filter(pl.col("organization").is_not_null())
        .unique(subset="organization", keep="first", maintain_order=True)
        .pipe(table_schemas.conform, table_schemas.ORGANIZATIONS)
    )
