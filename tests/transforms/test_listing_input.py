"""Text that is no listing page at all is named for what it is, before any line is parsed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_LISTING
from transforms.listing import ListingFormatError, parse_listing

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "listings"


def _error(text: str) -> ListingFormatError:
    with pytest.raises(ListingFormatError) as raised:
        parse_listing(text, as_of=date(2025, 12, 11), source_file="page.html")
    return raised.value


@pytest.mark.parametrize(
    ("text", "line", "found"),
    [
        # A page saved with the browser's "Save Page As": markup, which the copied text never is.
        ((FIXTURES / "saved_page.html").read_text(), 1, "an HTML page starting '<!DOCTYPE html>'"),
        # An HTML fragment without a doctype still says it is HTML.
        ("\n\n<html lang='en'><body>Daily Papers</body></html>\n", 3, "an HTML page"),
        ("<?xml version='1.0'?>\n<feed/>\n", 1, "markup (HTML or XML)"),
        ("", 1, "an empty file"),
        ("\r\n \t\r\n", 1, "an empty file"),
        # UTF-8 that decodes but holds control bytes: a binary file, reported at its line.
        ("Daily Papers\n\nDec 11\n\x00\x01PK\x03\x04", 4, "binary data (the control character 0x00)"),
    ],
)
def test_what_is_no_listing_at_all_is_named(text, line, found):
    error = _error(text)
    assert error.line == line
    assert error.found.startswith(found)
    assert "copied from the browser" in error.expected
    assert str(error).startswith(f"page.html, line {line}: expected the text of a huggingface.co/papers page")


def test_a_real_page_passes_the_checks():
    # The checks run on every page: a real one must pass them.
    page = parse_listing(SAMPLE_LISTING.read_text(encoding="utf-8-sig"), as_of=date(2025, 12, 11), source_file="page.txt")
    assert page.height == 57
