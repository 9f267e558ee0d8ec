"""Raw item frames -> one flat row per record, with the API's precedence rules applied once.

Prefer `paper.*`, fall back to the item-level copy; the submitter's username
sits under `name` at item level and `user` at paper level. Everything after
this step works on plain columns: struct access inside larger expressions is
what made Polars slow here, and unnest + rename cost next to nothing.
"""

from __future__ import annotations

import polars as pl

_SEPARATOR = "."

_IDENTITY_NAMES = {"paper.id": "paper_id", "paper.upvotes": "upvotes", "numComments": "num_comments"}

_LISTING_NAMES = {
    **_IDENTITY_NAMES,
    "paper.publishedAt": "published_at_text",
    "paper.authors": "authors",
    "paper.discussionId": "discussion_id",
    "paper.projectPage": "project_page",
    "paper.githubRepo": "github_repo",
    "paper.githubStars": "github_stars",
    "paper.ai_summary": "ai_summary",
    "paper.ai_keywords": "ai_keywords",
    "organization.name": "organization",
    "organization.fullname": "organization_fullname",
    "organization.avatar": "organization_avatar",
    "submittedBy.name": "item_submitter",
    "submittedBy.fullname": "item_submitter_fullname",
    "submittedBy.avatarUrl": "item_submitter_avatar",
    "submittedBy.isHf": "submitter_is_hf",
    "submittedBy.followerCount": "submitter_followers",
    "paper.submittedOnDailyBy.user": "paper_submitter",
    "paper.submittedOnDailyBy.fullname": "paper_submitter_fullname",
    "paper.submittedOnDailyBy.avatarUrl": "paper_submitter_avatar",
}

_HAS_PAPER = pl.col("paper").is_not_null().alias("has_paper")
_RECORD_INDEX = pl.col("record_index").cast(pl.Int32)


def flatten_listing(items: pl.DataFrame) -> pl.DataFrame:
    """Items read with raw_schema.ITEM_SCHEMA -> flat columns (fetch, record_index, has_paper, paper_id, ...)."""
    return (
        items.with_columns(
            _RECORD_INDEX,
            _HAS_PAPER,
            # The organisation is one object: take all its fields from the paper's copy, else the item's.
            pl.coalesce(pl.col("paper").struct.field("organization"), pl.col("organization")).alias("organization"),
        )
        .unnest("paper", "submittedBy", "organization", separator=_SEPARATOR)
        .unnest("paper.submittedOnDailyBy", separator=_SEPARATOR)
        .with_columns(
            pl.coalesce("paper.title", "title").alias("title"),
            pl.coalesce("paper.summary", "summary").alias("summary"),
            pl.coalesce("thumbnail", "mediaUrl").alias("thumbnail"),
        )
        .rename(_LISTING_NAMES)
    )


def flatten_votes(items: pl.DataFrame) -> pl.DataFrame:
    """Items read with raw_schema.VOTE_ITEM_SCHEMA -> record_index, has_paper, paper_id, upvotes, num_comments."""
    return items.with_columns(_RECORD_INDEX, _HAS_PAPER).unnest("paper", separator=_SEPARATOR).rename(_IDENTITY_NAMES)
