"""Row rules a raw item must pass to be loaded; each failing row gets a plain reason naming the field.

Types were already enforced when the page was read (see page_reading); these
rules cover what a type cannot: required fields, integer ranges of the INTEGER
columns, timestamps that do not parse, author slots without a name.
"""

from __future__ import annotations

import polars as pl

from transforms.raw_fields import (
    AUTHORS,
    GITHUB_STARS,
    NUM_COMMENTS,
    PAPER_ID,
    PUBLISHED_AT_TEXT,
    SUBMITTER_FOLLOWERS,
    TITLE,
    UPVOTES,
    parse_api_timestamp,
)

Check = tuple[pl.Expr, pl.Expr]  # (row fails, reason)

_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1


def _missing(expr: pl.Expr, path: str) -> Check:
    return expr.is_null(), pl.lit(f"{path}: missing")


def _blank(expr: pl.Expr, path: str) -> Check:
    return expr.str.strip_chars().eq(""), pl.lit(f"{path}: empty string")


def _out_of_int32(expr: pl.Expr, path: str) -> Check:
    return (
        expr.is_not_null() & ~expr.is_between(_INT32_MIN, _INT32_MAX),
        pl.format(f"{path}: {{}} is out of range for a 32-bit integer", expr),
    )


def _bad_timestamp(text: pl.Expr, path: str) -> Check:
    return (
        text.is_not_null() & parse_api_timestamp(text).is_null(),
        pl.format(f"{path}: expected a UTC timestamp like 2024-05-24T17:34:15.000Z, got '{{}}'", text),
    )


def _author_without_name() -> Check:
    blank = AUTHORS.list.eval(pl.element().struct.field("name").str.strip_chars().fill_null("").eq(""))
    first_blank = blank.list.eval(pl.element().arg_true().first()).list.first()
    return blank.list.any().fill_null(False), pl.format("paper.authors[{}].name: missing or empty", first_blank)


def _identity_checks() -> list[Check]:
    return [
        _missing(pl.col("paper"), "paper"),
        _missing(PAPER_ID, "paper.id"),
        _blank(PAPER_ID, "paper.id"),
        _missing(UPVOTES, "paper.upvotes"),
        _out_of_int32(UPVOTES, "paper.upvotes"),
        _out_of_int32(NUM_COMMENTS, "numComments"),
    ]


def vote_checks() -> list[Check]:
    """What a vote observation needs: a paper id and readable counts."""
    return _identity_checks()


def listing_checks() -> list[Check]:
    """What a paper row needs, in the order reasons are reported (first failure wins)."""
    return [
        *_identity_checks(),
        _missing(TITLE, "paper.title"),
        _out_of_int32(GITHUB_STARS, "paper.githubStars"),
        _out_of_int32(SUBMITTER_FOLLOWERS, "submittedBy.followerCount"),
        _bad_timestamp(PUBLISHED_AT_TEXT, "paper.publishedAt"),
        _author_without_name(),
    ]


def rejection_reason(checks: list[Check]) -> pl.Expr:
    """The first failing check's reason per row, null when the row passes: alias 'reason'."""
    chain = pl.when(checks[0][0].fill_null(False)).then(checks[0][1])
    for fails, reason in checks[1:]:
        chain = chain.when(fails.fill_null(False)).then(reason)
    return chain.otherwise(pl.lit(None, dtype=pl.Utf8)).alias("reason")
