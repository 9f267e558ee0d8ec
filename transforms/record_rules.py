"""Rules a flat record must pass to load; each failing record gets a plain reason naming the field.

Types were enforced when the page was read (page_reading); these rules cover
what a type cannot: required fields, timestamps that do not parse, author
slots without a name. Reasons are only built for failing rows, so a clean day
costs one filter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from transforms.raw_schema import API_TIMESTAMP_FORMAT

if TYPE_CHECKING:
    from polars.expr.whenthen import ChainedThen, Then

Check = tuple[pl.Expr, pl.Expr]  # (row fails, reason)

FAILURE_SCHEMA = pl.Schema({"fetch": pl.Int32, "record_index": pl.Int32, "paper_id": pl.Utf8, "reason": pl.Utf8})
_RECORD_KEY = ["fetch", "record_index"]


def parse_api_timestamp(text: pl.Expr) -> pl.Expr:
    """Parse the API's 'Z' timestamps to naive UTC Datetime('us'); an unreadable value gives null."""
    return text.str.to_datetime(API_TIMESTAMP_FORMAT, time_unit="us", strict=False)


def _missing(column: str, path: str) -> Check:
    return pl.col(column).is_null(), pl.lit(f"{path}: missing")


IDENTITY_CHECKS: list[Check] = [
    (pl.col("has_paper").not_(), pl.lit("paper: missing or null")),
    _missing("paper_id", "paper.id"),
    (pl.col("paper_id").str.strip_chars().eq(""), pl.lit("paper.id: empty string")),
    _missing("upvotes", "paper.upvotes"),
]

LISTING_CHECKS: list[Check] = [
    *IDENTITY_CHECKS,
    _missing("title", "paper.title"),
    (
        pl.col("published_at_text").is_not_null() & parse_api_timestamp(pl.col("published_at_text")).is_null(),
        pl.format(
            "paper.publishedAt: expected a UTC timestamp like 2024-05-24T17:34:15.000Z, got '{}'",
            pl.col("published_at_text"),
        ),
    ),
]


def failing_records(flat: pl.DataFrame, checks: list[Check], slots: pl.DataFrame | None = None) -> pl.DataFrame:
    """fetch, record_index, paper_id, reason of every record that fails; the first failing check names it.

    `slots` (one row per author slot, see authors.author_slots) adds the rule
    that every slot has a name.
    """
    failed = flat.filter(pl.any_horizontal(fails.fill_null(False) for fails, _ in checks))
    unnamed = None if slots is None else _slots_without_name(slots)
    # A clean day (the usual case) stops here: reasons are only worded for rows that fail.
    failures = [] if failed.is_empty() else [failed.select(*_RECORD_KEY, pl.col("paper_id"), _first_reason(checks))]
    if unnamed is not None and not unnamed.is_empty():
        failures.append(unnamed)
    if not failures:
        return pl.DataFrame(schema=FAILURE_SCHEMA)
    return (
        pl.concat(failures).unique(subset=_RECORD_KEY, keep="first", maintain_order=True).sort(_RECORD_KEY).cast(FAILURE_SCHEMA)
    )


def _first_reason(checks: list[Check]) -> pl.Expr:
    chain: Then | ChainedThen = pl.when(checks[0][0].fill_null(False)).then(checks[0][1])
    for fails, reason in checks[1:]:
        chain = chain.when(fails.fill_null(False)).then(reason)
    return chain.otherwise(pl.lit(None, dtype=pl.Utf8)).alias("reason")


def _slots_without_name(slots: pl.DataFrame) -> pl.DataFrame:
    unnamed = slots.filter(pl.col("name_as_listed").str.strip_chars().fill_null("").eq(""))
    if unnamed.is_empty():
        return unnamed
    return unnamed.unique(subset=_RECORD_KEY, keep="first", maintain_order=True).select(
        *_RECORD_KEY,
        pl.col("paper_id"),
        pl.format("paper.authors[{}].name: missing or empty", pl.col("position") - 1).alias("reason"),
    )
