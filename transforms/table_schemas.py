"""Exact output schemas of the warehouse tables (warehouse/schema/001_core_tables.sql).

Builders end with `conform_batch` (the table's columns plus `fetch`, the
position of the fetch in a batch); splitting a batch per day ends with
`conform`, so column names, order and dtypes always match what the loader's
INSERT ... BY NAME expects.
"""

from __future__ import annotations

import polars as pl

TIMESTAMP = pl.Datetime("us")

PAPERS = pl.Schema(
    {  # type: ignore[arg-type]  # mypy types a dict mixing dtype classes (pl.Utf8) and instances as dict[str, object]
        "paper_id": pl.Utf8,
        "title": pl.Utf8,
        "summary": pl.Utf8,
        "published_at": TIMESTAMP,
        "listing_date": pl.Date,
        "upvotes": pl.Int32,
        "num_comments": pl.Int32,
        "submitted_by": pl.Utf8,
        "organization": pl.Utf8,
        "github_repo": pl.Utf8,
        "github_stars": pl.Int32,
        "project_page": pl.Utf8,
        "ai_summary": pl.Utf8,
        "ai_keywords": pl.List(pl.Utf8),
        "discussion_id": pl.Utf8,
        "thumbnail": pl.Utf8,
        "author_count": pl.Int32,
    }
)

AUTHORS = pl.Schema(
    {
        "author_id": pl.Utf8,
        "name": pl.Utf8,
        "hf_username": pl.Utf8,
        "identity_key": pl.Utf8,
        "author_key": pl.UInt64,
        "name_folded": pl.Utf8,
    }
)

PAPER_AUTHORS = pl.Schema(
    {
        "paper_id": pl.Utf8,
        "author_id": pl.Utf8,
        "position": pl.Int32,
        "name_as_listed": pl.Utf8,
        "listing_date": pl.Date,
    }
)

VOTES = pl.Schema(
    {  # type: ignore[arg-type]  # mypy types a dict mixing dtype classes (pl.Utf8) and instances as dict[str, object]
        "paper_id": pl.Utf8,
        "observed_at": TIMESTAMP,
        "upvotes": pl.Int32,
        "num_comments": pl.Int32,
        "listing_date": pl.Date,
    }
)

SUBMITTERS = pl.Schema(
    {
        "username": pl.Utf8,
        "fullname": pl.Utf8,
        "avatar_url": pl.Utf8,
        "is_hf_staff": pl.Boolean,
        "follower_count": pl.Int32,
    }
)

ORGANIZATIONS = pl.Schema({"organization": pl.Utf8, "fullname": pl.Utf8, "avatar_url": pl.Utf8})

QUARANTINED = pl.Schema(
    {  # type: ignore[arg-type]  # mypy types a dict mixing dtype classes (pl.Utf8) and instances as dict[str, object]
        "listing_date": pl.Date,
        "fetched_at": TIMESTAMP,
        "record_index": pl.Int32,
        "paper_id": pl.Utf8,
        "reason": pl.Utf8,
        "raw_record": pl.Utf8,
    }
)


def conform(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """Select exactly `schema`'s columns in its order, cast strictly to its dtypes."""
    if frame.schema == schema:
        return frame
    return frame.select(_columns(frame, schema))


def conform_batch(frame: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
    """`conform`, keeping the batch's `fetch` column first."""
    return frame.select(pl.col("fetch").cast(pl.Int32), *_columns(frame, schema))


def _columns(frame: pl.DataFrame, schema: pl.Schema) -> list[pl.Expr]:
    missing = [name for name in schema if name not in frame.columns]
    if missing:
        raise ValueError(f"cannot build table: columns {missing} were not produced")
    # A cast that changes nothing still costs an expression: only cast what differs.
    return [
        pl.col(name) if frame.schema[name] == dtype else pl.col(name).cast(dtype, strict=True) for name, dtype in schema.items()
    ]
