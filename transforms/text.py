"""Text clean-up shared by the tables."""

from __future__ import annotations

import polars as pl


def collapse_whitespace(text: pl.Expr) -> pl.Expr:
    """Turn every whitespace run into one space and trim the ends.

    Old eras hard-wrap titles and abstracts ("...Multimodal\\n  Models"); the
    words themselves are kept as they are.
    """
    # Only runs that are not already a single space are rewritten: most text has none, so this stays cheap.
    return text.str.replace_all(r"[^\S ]\s*| \s+", " ").str.strip_chars()


def absolute_hf_url(url: pl.Expr) -> pl.Expr:
    """Prefix https://huggingface.co to site-relative paths ('/avatars/<md5>.svg'); keep absolute URLs."""
    return pl.when(url.str.starts_with("/")).then(pl.lit("https://huggingface.co") + url).otherwise(url)
