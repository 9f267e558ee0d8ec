"""Raw items -> author slots -> `paper_authors` and `authors` rows.

Every listed slot is kept (hidden authors and the same person listed twice
included); identity is decided per slot, see person_names.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from transforms import table_schemas
from transforms.person_names import author_id_expr, author_identity_key_expr
from transforms.raw_fields import AUTHORS, PAPER_ID

_AUTHOR = pl.col("author")
_USERNAME = _AUTHOR.struct.field("user").struct.field("user")
_STATUS = _AUTHOR.struct.field("status")
_CLAIMED = pl.col("identity_key").str.starts_with("hf:")


def author_slots(items: pl.DataFrame) -> pl.DataFrame:
    """One row per author slot, in item order then listed order: paper_id, position, name, identity."""
    return (
        items.select(
            PAPER_ID.alias("paper_id"),
            AUTHORS.alias("author"),
            pl.int_ranges(1, AUTHORS.list.len() + 1, dtype=pl.Int32).alias("position"),
        )
        .explode("author", "position", empty_as_null=False, keep_nulls=False)
        .select(
            pl.col("paper_id"),
            pl.col("position"),
            _AUTHOR.struct.field("name").alias("name_as_listed"),
            author_identity_key_expr(_AUTHOR.struct.field("name"), _USERNAME, _STATUS).alias("identity_key"),
        )
        .with_columns(author_id_expr(pl.col("identity_key")).alias("author_id"))
    )


def paper_authors_frame(slots: pl.DataFrame, listing_date: date) -> pl.DataFrame:
    """`paper_authors`: one row per slot, position 1-based in listed order."""
    return slots.with_columns(pl.lit(listing_date, dtype=pl.Date).alias("listing_date")).pipe(
        table_schemas.conform, table_schemas.PAPER_AUTHORS
    )


def authors_frame(slots: pl.DataFrame) -> pl.DataFrame:
    """`authors`: one row per author_id; the name comes from the author's first slot of the batch."""
    return (
        slots.unique(subset="author_id", keep="first", maintain_order=True)
        .select(
            pl.col("author_id"),
            pl.col("name_as_listed").alias("name"),
            pl.when(_CLAIMED).then(pl.col("identity_key").str.strip_prefix("hf:")).alias("hf_username"),
            pl.col("identity_key"),
        )
        .pipe(table_schemas.conform, table_schemas.AUTHORS)
    )
