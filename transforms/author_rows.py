"""Raw items -> author slots -> `paper_authors` and `authors` rows.

Every listed slot is kept (hidden authors and the same person listed twice
included); identity is decided per slot, see person_names.
"""

from __future__ import annotations

import polars as pl

from transforms import table_schemas
from transforms.person_names import (
    author_id_expr,
    author_key_expr,
    identity_key_from_normalised,
    normalise_person_name_expr,
)

_CLAIMED = pl.col("identity_key").str.starts_with("hf:")


def author_slots(flat: pl.DataFrame) -> pl.DataFrame:
    """One row per author slot of flat records, in record then listed order.

    Columns: fetch, record_index, listing_date, paper_id, position (1-based), name_as_listed,
    identity_key, author_id.
    """
    return (
        flat.select(
            pl.col("fetch"),
            pl.col("record_index"),
            pl.col("listing_date"),
            pl.col("paper_id"),
            pl.col("authors").alias("author"),
            pl.int_ranges(1, pl.col("authors").list.len() + 1, dtype=pl.Int32).alias("position"),
        )
        .explode("author", "position", empty_as_null=False, keep_nulls=False)
        .unnest("author", separator=".")
        .unnest("author.user", separator=".")
        .rename({"author.name": "name_as_listed", "author.status": "status", "author.user.user": "username"})
        .with_columns(normalise_person_name_expr(pl.col("name_as_listed")).alias("normalised_name"))
        .select(
            pl.col("fetch"),
            pl.col("record_index"),
            pl.col("listing_date"),
            pl.col("paper_id"),
            pl.col("position"),
            pl.col("name_as_listed"),
            identity_key_from_normalised(
                pl.col("normalised_name"), pl.col("name_as_listed"), pl.col("username"), pl.col("status")
            ).alias("identity_key"),
        )
        .with_columns(author_id_expr(pl.col("identity_key")).alias("author_id"))
    )


def paper_authors_frame(slots: pl.DataFrame) -> pl.DataFrame:
    """`paper_authors`: one row per slot, position 1-based in listed order (plus `fetch`)."""
    return slots.pipe(table_schemas.conform_batch, table_schemas.PAPER_AUTHORS)


def authors_frame(slots: pl.DataFrame) -> pl.DataFrame:
    """`authors`: one row per author_id and fetch; the name comes from the author's first slot in that fetch."""
    return (
        slots.unique(subset=["fetch", "author_id"], keep="first", maintain_order=True)
        .select(
            pl.col("fetch"),
            pl.col("author_id"),
            pl.col("name_as_listed").alias("name"),
            pl.when(_CLAIMED).then(pl.col("identity_key").str.strip_prefix("hf:")).alias("hf_username"),
            pl.col("identity_key"),
            author_key_expr(pl.col("author_id")).alias("author_key"),
            # folded by the load with DuckDB's own strip_accents, the one find_authors() applies
            pl.lit(None, dtype=pl.Utf8).alias("name_folded"),
        )
        .pipe(table_schemas.conform_batch, table_schemas.AUTHORS)
    )
