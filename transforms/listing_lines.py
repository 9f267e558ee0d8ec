"""The lines of a saved Daily Papers page: what kind each line is, and the dates they print.

A copied page shows dates as "Mar 1, 2023", "Jun 5" (no year) or "Jan 29, 2024 7" (the number
after the date is the upvote count). Dates without a year are resolved against a reference day:
the latest such calendar day on or before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

MONTHS = {
    name: number
    for number, name in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)
}
_DATE = re.compile(r"(?P<month>[A-Z][a-z]{2}) (?P<day>\d{1,2})(?:, (?P<year>\d{4}))?(?: (?P<upvotes>\d+))?")
# What is left of a date line when the copy stopped in the middle of it ("Ma", "Mar 1, 20").
_DATE_PREFIX = re.compile(r"[A-Z][a-z]{0,2}(?: \d{0,2}(?:,(?: \d{0,4})?)?)?")
_AUTHORS = re.compile(r"•\s*(?P<count>\d+)\s+authors?")
_SEPARATOR = "·"
# Feb 29 repeats at most every 8 years (1896 -> 1904), so looking 8 years back always finds it.
_LEAP_SPAN = 8


class ListingFormatError(ValueError):
    """The text is not a Daily Papers listing: says at which line, what was expected and what was found."""

    def __init__(self, source_file: str, line: int, expected: str, found: str):
        self.source_file = source_file
        self.line = line
        self.expected = expected
        self.found = found
        super().__init__(f"{source_file}, line {line}: expected {expected}, found {found}")


class Kind(Enum):
    """What a non-blank line of a listing page is."""

    AUTHORS = "authors"  # "  • 11 authors"
    SEPARATOR = "separator"  # "·", between the author count (or organisation) and the date
    DATE = "date"  # "Mar 1, 2023", "Jun 5", "Jan 29, 2024 7"
    TEXT = "text"  # anything else: chrome, title, abstract, organisation


@dataclass(frozen=True)
class DateLine:
    """A date as printed: the year is None when the page left it out."""

    month: int
    day: int
    year: int | None
    upvotes: int | None


@dataclass(frozen=True)
class Line:
    """One non-blank line: its 1-based number in the file, its stripped text and its kind."""

    number: int
    text: str
    kind: Kind


def read_lines(text: str) -> list[Line]:
    """The non-blank lines of a page, stripped, numbered as in the file, each with its kind."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [
        Line(number, stripped, classify(stripped))
        for number, raw in enumerate(lines, start=1)
        if (stripped := raw.strip().lstrip("\ufeff"))
    ]


def classify(stripped: str) -> Kind:
    """The kind of one stripped, non-blank line."""
    if stripped == _SEPARATOR:
        return Kind.SEPARATOR
    if _AUTHORS.fullmatch(stripped):
        return Kind.AUTHORS
    if match_date(stripped) is not None:
        return Kind.DATE
    return Kind.TEXT


def author_count(stripped: str) -> int:
    """The N of a "• N authors" line."""
    match = _AUTHORS.fullmatch(stripped)
    if match is None:
        raise ValueError(f"not an authors line: {stripped!r}")
    return int(match["count"])


def match_date(stripped: str) -> DateLine | None:
    """The date a line prints, or None when the line is not a date line."""
    found = _DATE.fullmatch(stripped)
    if found is None or found["month"] not in MONTHS:
        return None
    return DateLine(
        month=MONTHS[found["month"]],
        day=int(found["day"]),
        year=int(found["year"]) if found["year"] else None,
        upvotes=int(found["upvotes"]) if found["upvotes"] else None,
    )


def is_cut_date(stripped: str) -> bool:
    """True for the start of a date line that the copy cut short ("Ma", "Mar 1, 20")."""
    if not _DATE_PREFIX.fullmatch(stripped):
        return False
    month = stripped.split(" ")[0]
    return any(name.startswith(month) for name in MONTHS)


def resolve_date(printed: DateLine, reference: date) -> date | None:
    """The calendar day of a printed date; a year-less one is the latest on or before `reference`.

    Returns None when no such day exists ("Feb 30", or "Feb 29" with an explicit non-leap year).
    """
    if printed.year is not None:
        return _make_date(printed.year, printed.month, printed.day)
    for year in range(reference.year, reference.year - _LEAP_SPAN - 1, -1):
        candidate = _make_date(year, printed.month, printed.day)
        if candidate is not None and candidate <= reference:
            return candidate
    return None


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
