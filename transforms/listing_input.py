"""Texts that are not a listing page at all: empty, a saved web page (HTML), binary data.

They are recognised before parsing, so the error says what the file is ("an HTML page") instead
of which header line was missing. An HTML save of huggingface.co/papers is refused rather than
read: its papers sit in the site's own front-end markup, which has no published format, and the
same day's records come whole from the API with `papers backfill`.
"""

from __future__ import annotations

import re

from transforms.listing_lines import ListingFormatError

EXPECTED_TEXT = "the text of a huggingface.co/papers page as copied from the browser (select all, copy, paste into a .txt file)"
# C0 control characters other than tab, line feed, vertical tab, form feed and carriage return.
_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MARKUP_START = re.compile(r"<[!?A-Za-z]")
_HTML_HINT = re.compile(r"<!doctype\s+html|<html[\s>]", re.IGNORECASE)


def check_listing_text(text: str, source_file: str) -> None:
    """Raise ListingFormatError when `text` is empty, binary or markup; return quietly otherwise."""
    binary = _BINARY.search(text)
    if binary:
        binary_line = text.count("\n", 0, binary.start()) + 1
        raise ListingFormatError(
            source_file, binary_line, EXPECTED_TEXT, f"binary data (the control character {ord(binary.group()):#04x})"
        )
    first = _first_non_blank(text)
    if first is None:
        raise ListingFormatError(source_file, 1, EXPECTED_TEXT, "an empty file")
    number, line = first
    if _MARKUP_START.match(line):
        kind = "an HTML page" if _HTML_HINT.search(text[:4096]) else "markup (HTML or XML)"
        raise ListingFormatError(source_file, number, EXPECTED_TEXT, f"{kind} starting {_cut(line)}")


def _first_non_blank(text: str) -> tuple[int, str] | None:
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        stripped = raw.strip().lstrip("\ufeff")
        if stripped:
            return number, stripped
    return None


def _cut(line: str) -> str:
    return repr(line) if len(line) <= 40 else repr(line[:40]) + "..."
