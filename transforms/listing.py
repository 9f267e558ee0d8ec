"""Parse a saved Daily Papers page (text copied from huggingface.co/papers) into `listed_papers` rows.

The page is a header of site chrome ("Daily Papers", "Subscribe", ...) ending with the page's own
date ("Dec 11"), then one entry per paper, its lines separated by blank lines:

    title
    abstract (one paragraph)
    "• N authors", or an organisation line, or both   } the metadata; some entries have none,
    "·"                                                } and the last entry may be cut off
    date: "Mar 1, 2023", "Jun 5" (no year) or "Jan 29, 2024 7" (7 upvotes)   } anywhere

The page's date has no year: it is the latest such day on or before `as_of`. Entry dates without a
year are the latest such day on or before the page's date.
"""

from __future__ import annotations

from datetime import date
from typing import NoReturn

import polars as pl

from transforms.listing_input import check_listing_text
from transforms.listing_lines import (
    Kind,
    Line,
    ListingFormatError,
    author_count,
    is_cut_date,
    match_date,
    read_lines,
    resolve_date,
)

__all__ = ["LISTING_SCHEMA", "ListingFormatError", "normalise_title", "parse_listing"]

LISTING_SCHEMA = pl.Schema(
    {
        "source_file": pl.String,
        "position": pl.Int32,  # 1-based order on the page
        "title": pl.String,
        "abstract": pl.String,  # null only for a last entry cut off after its title
        "author_count": pl.Int32,  # null when the entry shows no "• N authors"
        "listed_date": pl.Date,  # null when the entry shows no date
        "upvotes": pl.Int32,  # null when the page prints no count after the date
        "organization": pl.String,  # the organisation line as printed, e.g. "HuggingFaceFW FineData"
        "paper_id": pl.String,  # always null here: the warehouse links it by title
    }
)

# Site chrome above the page's date, compared case- and whitespace-folded.
PAGE_CHROME = frozenset(
    {
        "new",
        "get trending papers in your email inbox!",
        "subscribe",
        "daily papers",
        "byak and the research community",
        "by ak and the research community",
    }
)
# A longer "title" means the entries are out of step (say, an abstract of two paragraphs).
MAX_TITLE_CHARS = 300


def parse_listing(text: str, *, as_of: date, source_file: str) -> pl.DataFrame:
    """One row per paper on the page, in page order, with the columns of LISTING_SCHEMA.

    Raises ListingFormatError (line number, what was expected, what was found) when the text is
    not a listing page.
    """
    check_listing_text(text, source_file)
    lines = read_lines(text)
    reader = _Reader(lines, source_file, end_line=max(text.count("\n") + 1, 1))
    page_date = _read_page_date(reader, as_of)
    rows: list[dict] = []
    while not reader.at_end():
        row = _read_entry(reader, page_date)
        rows.append({"source_file": source_file, "position": len(rows) + 1, **row, "paper_id": None})
    return pl.DataFrame(rows, schema=LISTING_SCHEMA)


def normalise_title(title: pl.Expr) -> pl.Expr:
    """A title folded for matching: lower case, with every character that is not a letter or digit removed.

    "URLBERT:A Contrastive ..." and "URLBERT: A contrastive ..." both become "urlbertacontrastive...".
    The SQL macro `normalise_title` in warehouse/schema/002_listed_papers.sql must stay identical.
    """
    return title.str.to_lowercase().str.replace_all(r"[^\p{L}\p{N}]+", "")


class _Reader:
    """The non-blank lines of a page, read front to back."""

    def __init__(self, lines: list[Line], source_file: str, end_line: int):
        self.lines = lines
        self.index = 0
        self.source_file = source_file
        self.end_line = end_line

    def at_end(self) -> bool:
        return self.index >= len(self.lines)

    def peek(self, ahead: int = 0) -> Kind | None:
        position = self.index + ahead
        return self.lines[position].kind if position < len(self.lines) else None

    def current(self) -> Line:
        return self.lines[self.index]

    def take(self, kind: Kind, expected: str) -> Line:
        if self.at_end():
            self.fail(expected)
        line = self.current()
        if line.kind is not kind:
            self.fail(expected)
        self.index += 1
        return line

    def fail(self, expected: str) -> NoReturn:
        if self.at_end():
            raise ListingFormatError(self.source_file, self.end_line, expected, "the end of the text")
        line = self.current()
        raise ListingFormatError(self.source_file, line.number, expected, _show(line.text))


def _read_page_date(reader: _Reader, as_of: date) -> date:
    expected = "the page header (lines such as 'Daily Papers') ending with the page's date, such as 'Dec 11'"
    while reader.peek() is Kind.TEXT and _squash(reader.current().text).casefold() in PAGE_CHROME:
        reader.index += 1
    line = reader.take(Kind.DATE, expected)
    printed = match_date(line.text)
    assert printed is not None  # take(Kind.DATE) returns a line that match_date classified
    page_date = resolve_date(printed, as_of)
    if page_date is None:
        raise ListingFormatError(reader.source_file, line.number, "a real calendar day", _show(line.text))
    return page_date


def _read_entry(reader: _Reader, page_date: date) -> dict:
    if reader.peek() is Kind.TEXT and len(reader.current().text) > MAX_TITLE_CHARS:
        reader.fail(f"a paper title (one line of at most {MAX_TITLE_CHARS} characters)")
    title = reader.take(Kind.TEXT, "a paper title")
    row: dict[str, object] = {
        "title": _squash(title.text),
        "abstract": None,
        "author_count": None,
        "listed_date": None,
        "upvotes": None,
        "organization": None,
    }
    if reader.at_end():
        return row  # the copy stopped right after the title
    row["abstract"] = _squash(reader.take(Kind.TEXT, f"the abstract of {title.text!r}").text)
    if reader.peek() is Kind.AUTHORS:
        row["author_count"] = author_count(reader.take(Kind.AUTHORS, "").text)
    if reader.peek() is Kind.TEXT and reader.peek(1) is Kind.SEPARATOR:
        row["organization"] = _squash(reader.take(Kind.TEXT, "").text)
    has_metadata = row["author_count"] is not None or row["organization"] is not None
    if reader.at_end() or not (has_metadata or reader.peek() is Kind.SEPARATOR):
        return row  # an entry without metadata, or the copy stopped here
    reader.take(Kind.SEPARATOR, "'·' after the author count or organisation line")
    row.update(_read_date(reader, page_date))
    return row


def _read_date(reader: _Reader, page_date: date) -> dict:
    expected = "a date line such as 'Mar 1, 2023', 'Jun 5' or 'Jan 29, 2024 7' after '·'"
    if reader.at_end():
        return {}
    line = reader.current()
    if line.kind is not Kind.DATE:
        if reader.index == len(reader.lines) - 1 and is_cut_date(line.text):
            reader.index += 1
            return {}  # the copy stopped inside the last date line
        reader.fail(expected)
    reader.index += 1
    printed = match_date(line.text)
    assert printed is not None  # the line's kind is DATE
    listed = resolve_date(printed, page_date)
    if listed is None:
        raise ListingFormatError(reader.source_file, line.number, "a real calendar day", _show(line.text))
    return {"listed_date": listed, "upvotes": printed.upvotes}


def _squash(text: str) -> str:
    return " ".join(text.split())


def _show(text: str) -> str:
    if len(text) <= 80:
        return repr(text)
    return f"{text[:60]!r}... ({len(text)} characters)"
