"""Named expressions over raw item frames (rows shaped by raw_schema.ITEM_SCHEMA).

The API's precedence rules live here once: prefer `paper.*`, fall back to the
item-level copy; the submitter's username sits under different keys by level.
"""

from __future__ import annotations

import polars as pl

from transforms.raw_schema import API_TIMESTAMP_FORMAT


def paper_field(name: str) -> pl.Expr:
    """A field of the item's `paper` object (null when the key or the object is absent)."""
    return pl.col("paper").struct.field(name)


def parse_api_timestamp(text: pl.Expr) -> pl.Expr:
    """Parse the API's 'Z' timestamps to naive UTC Datetime('us'); an unreadable value gives null."""
    return text.str.to_datetime(API_TIMESTAMP_FORMAT, time_unit="us", strict=False)


PAPER_ID = paper_field("id")
UPVOTES = paper_field("upvotes")
NUM_COMMENTS = pl.col("numComments")
AUTHORS = paper_field("authors")
PUBLISHED_AT_TEXT = paper_field("publishedAt")
TITLE = pl.coalesce(paper_field("title"), pl.col("title"))
SUMMARY = pl.coalesce(paper_field("summary"), pl.col("summary"))
THUMBNAIL = pl.coalesce(pl.col("thumbnail"), pl.col("mediaUrl"))
ORGANIZATION = pl.coalesce(paper_field("organization"), pl.col("organization"))
GITHUB_STARS = paper_field("githubStars")

_SUBMITTED_BY = pl.col("submittedBy")
_SUBMITTED_ON_DAILY_BY = paper_field("submittedOnDailyBy")
_HAS_ITEM_SUBMITTER = _SUBMITTED_BY.struct.field("name").is_not_null()

# Item-level `submittedBy` (richer: isHf, followerCount) wins; eras without it
# may still carry paper-level `submittedOnDailyBy`.
SUBMITTER_USERNAME = pl.coalesce(
    _SUBMITTED_BY.struct.field("name"), _SUBMITTED_ON_DAILY_BY.struct.field("user")
)
SUBMITTER_FULLNAME = (
    pl.when(_HAS_ITEM_SUBMITTER)
    .then(_SUBMITTED_BY.struct.field("fullname"))
    .otherwise(_SUBMITTED_ON_DAILY_BY.struct.field("fullname"))
)
SUBMITTER_AVATAR = (
    pl.when(_HAS_ITEM_SUBMITTER)
    .then(_SUBMITTED_BY.struct.field("avatarUrl"))
    .otherwise(_SUBMITTED_ON_DAILY_BY.struct.field("avatarUrl"))
)
SUBMITTER_IS_HF = _SUBMITTED_BY.struct.field("isHf")
SUBMITTER_FOLLOWERS = _SUBMITTED_BY.struct.field("followerCount")
