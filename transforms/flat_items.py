"""Raw item frames -> one flat row per record, with the API's precedence rules applied once.

Prefer `paper.*`, fall back to the item-level copy; the submitter's username
sits under `name` at item level and `user` at paper level. Everything after
this step works on plain columns, which keeps the per-day cost low (struct
field access inside larger expressions is what made Polars slow here).
"""

from __future__ import annotations

import polars as pl


def _paper(name: str) -> pl.Expr:
    return pl.col("paper").struct.field(name)


_SUBMITTED_BY = pl.col("submittedBy")
_SUBMITTED_ON_DAILY_BY = _paper("submittedOnDailyBy")
_ORGANIZATION = pl.coalesce(_paper("organization"), pl.col("organization"))

_IDENTITY_COLUMNS = {
    "has_paper": pl.col("paper").is_not_null(),
    "paper_id": _paper("id"),
    "upvotes": _paper("upvotes"),
    "num_comments": pl.col("numComments"),
}

_LISTING_COLUMNS = {
    **_IDENTITY_COLUMNS,
    "title": pl.coalesce(_paper("title"), pl.col("title")),
    "summary": pl.coalesce(_paper("summary"), pl.col("summary")),
    "published_at_text": _paper("publishedAt"),
    "authors": _paper("authors"),
    "discussion_id": _paper("discussionId"),
    "project_page": _paper("projectPage"),
    "github_repo": _paper("githubRepo"),
    "github_stars": _paper("githubStars"),
    "ai_summary": _paper("ai_summary"),
    "ai_keywords": _paper("ai_keywords"),
    "thumbnail": pl.coalesce(pl.col("thumbnail"), pl.col("mediaUrl")),
    "organization": _ORGANIZATION.struct.field("name"),
    "organization_fullname": _ORGANIZATION.struct.field("fullname"),
    "organization_avatar": _ORGANIZATION.struct.field("avatar"),
    "item_submitter": _SUBMITTED_BY.struct.field("name"),
    "item_submitter_fullname": _SUBMITTED_BY.struct.field("fullname"),
    "item_submitter_avatar": _SUBMITTED_BY.struct.field("avatarUrl"),
    "submitter_is_hf": _SUBMITTED_BY.struct.field("isHf"),
    "submitter_followers": _SUBMITTED_BY.struct.field("followerCount"),
    "paper_submitter": _SUBMITTED_ON_DAILY_BY.struct.field("user"),
    "paper_submitter_fullname": _SUBMITTED_ON_DAILY_BY.struct.field("fullname"),
    "paper_submitter_avatar": _SUBMITTED_ON_DAILY_BY.struct.field("avatarUrl"),
}


def flatten_listing(items: pl.DataFrame) -> pl.DataFrame:
    """Items read with raw_schema.ITEM_SCHEMA -> flat columns (fetch, record_index first)."""
    return _flatten(items, _LISTING_COLUMNS)


def flatten_votes(items: pl.DataFrame) -> pl.DataFrame:
    """Items read with raw_schema.VOTE_ITEM_SCHEMA -> fetch, record_index, has_paper, paper_id, upvotes, num_comments."""
    return _flatten(items, _IDENTITY_COLUMNS)


def _flatten(items: pl.DataFrame, columns: dict[str, pl.Expr]) -> pl.DataFrame:
    return items.select(
        pl.col("fetch"),
        pl.col("record_index").cast(pl.Int32),
        *(expr.alias(name) for name, expr in columns.items()),
    )
