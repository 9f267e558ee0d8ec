"""Lists and ranges of listing days."""

from __future__ import annotations

from datetime import date, timedelta


def days_between(start: date, end: date) -> list[date]:
    """Every day from start to end, both included."""
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]


def contiguous_ranges(days: list[date], max_len: int) -> list[tuple[date, date]]:
    """Group sorted days into runs of consecutive days, each at most max_len long."""
    ranges: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if ranges:
            first, last = ranges[-1]
            if day == last + timedelta(days=1) and (day - first).days < max_len:
                ranges[-1] = (first, day)
                continue
        ranges.append((day, day))
    return ranges


def days_as_text(days: list[date]) -> str:
    """`days` as spans of consecutive days, "FIRST..LAST" joined by commas: a year fits a
    command line as one span (pipeline/lander.py hands its days to the child so)."""
    return ",".join(f"{first.isoformat()}..{last.isoformat()}" for first, last in contiguous_ranges(days, len(days) or 1))


def days_from_text(text: str) -> list[date]:
    """The days `days_as_text` wrote, in order."""
    days: list[date] = []
    for span in filter(None, text.split(",")):
        first, _, last = span.partition("..")
        days += days_between(date.fromisoformat(first), date.fromisoformat(last or first))
    return days
