"""Split one listing page (a JSON array) into its records, keeping each record's verbatim text.

Used only off the fast path: to check records one by one when a page does not
read cleanly, and to copy a quarantined record into `quarantined_records`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\n\r"


class ListingPageError(ValueError):
    """A whole page is unreadable (not UTF-8, not JSON, or not a JSON array): no record can be saved."""


@dataclass(frozen=True)
class RawRecord:
    """One element of a page: its parsed value and its exact JSON text."""

    value: Any
    text: str


def split_page(page: bytes, page_index: int) -> list[RawRecord]:
    """Return the elements of a page's top-level JSON array in order, with their verbatim text."""
    text = _decode(page, page_index)
    position = _skip_whitespace(text, 0)
    if position >= len(text) or text[position] != "[":
        raise ListingPageError(f"page {page_index}: expected a JSON array of items, got {text[:60]!r}")
    records: list[RawRecord] = []
    position = _skip_whitespace(text, position + 1)
    if position < len(text) and text[position] == "]":
        return _expect_end(text, position + 1, page_index, records)
    while True:
        try:
            value, end = _DECODER.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise ListingPageError(f"page {page_index}: invalid JSON in record {len(records)}: {error}") from error
        records.append(RawRecord(value=value, text=text[position:end]))
        position = _skip_whitespace(text, end)
        if position < len(text) and text[position] == "]":
            return _expect_end(text, position + 1, page_index, records)
        if position >= len(text) or text[position] != ",":
            raise ListingPageError(f"page {page_index}: expected ',' or ']' after record {len(records) - 1} at char {position}")
        position = _skip_whitespace(text, position + 1)


def _decode(page: bytes, page_index: int) -> str:
    try:
        return page.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ListingPageError(f"page {page_index}: not UTF-8 text ({error})") from error


def _skip_whitespace(text: str, position: int) -> int:
    while position < len(text) and text[position] in _WHITESPACE:
        position += 1
    return position


def _expect_end(text: str, position: int, page_index: int, records: list[RawRecord]) -> list[RawRecord]:
    if _skip_whitespace(text, position) != len(text):
        raise ListingPageError(f"page {page_index}: unexpected text after the closing ']' at char {position}")
    return records
