"""Explicit Polars schemas for one item of `GET /api/daily_papers`.

Only the fields the warehouse uses are listed: Polars ignores other keys, so a
new or malformed field we never read cannot break a day. Every field is
optional (an absent key reads as null) because the API eras differ; see
hf_api/sample_days/SCHEMA.md. Timestamps stay strings here and are
parsed by expressions, so a bad value can be reported verbatim.
"""

from __future__ import annotations

import polars as pl

# 'Z'-suffixed ISO-8601 as the API writes it ("2024-05-24T17:34:15.000Z").
API_TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S%.fZ"

_ORGANIZATION = pl.Struct({"name": pl.Utf8, "fullname": pl.Utf8, "avatar": pl.Utf8})

# Item-level submitter: the username sits under `name` here.
_SUBMITTED_BY = pl.Struct(
    {
        "name": pl.Utf8,
        "fullname": pl.Utf8,
        "avatarUrl": pl.Utf8,
        "isHf": pl.Boolean,
        "followerCount": pl.Int32,
    }
)

# Paper-level submitter (eras D, E): the username sits under `user`.
_SUBMITTED_ON_DAILY_BY = pl.Struct({"user": pl.Utf8, "fullname": pl.Utf8, "avatarUrl": pl.Utf8})

_AUTHOR = pl.Struct(
    {
        "name": pl.Utf8,
        "status": pl.Utf8,
        "user": pl.Struct({"user": pl.Utf8}),
    }
)

_PAPER = pl.Struct(
    {
        "id": pl.Utf8,
        "title": pl.Utf8,
        "summary": pl.Utf8,
        "publishedAt": pl.Utf8,
        "upvotes": pl.Int32,
        "authors": pl.List(_AUTHOR),
        "discussionId": pl.Utf8,
        "submittedOnDailyBy": _SUBMITTED_ON_DAILY_BY,
        "projectPage": pl.Utf8,
        "githubRepo": pl.Utf8,
        "githubStars": pl.Int32,
        "ai_summary": pl.Utf8,
        "ai_keywords": pl.List(pl.Utf8),
        "organization": _ORGANIZATION,
    }
)

ITEM_SCHEMA = pl.Schema(
    {  # type: ignore[arg-type]  # mypy types a dict mixing dtype classes (pl.Utf8) and instances as dict[str, object]
        "paper": _PAPER,
        "title": pl.Utf8,
        "summary": pl.Utf8,
        "mediaUrl": pl.Utf8,
        "thumbnail": pl.Utf8,
        "numComments": pl.Int32,
        "submittedBy": _SUBMITTED_BY,
        "organization": _ORGANIZATION,
    }
)

# Just what a vote observation needs: cheap to read for older fetches of a day.
VOTE_ITEM_SCHEMA = pl.Schema(
    {  # type: ignore[arg-type]  # mypy types a dict mixing dtype classes (pl.Utf8) and instances as dict[str, object]
        "paper": pl.Struct({"id": pl.Utf8, "upvotes": pl.Int32}),
        "numComments": pl.Int32,
    }
)
