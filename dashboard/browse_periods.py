"""The periods the Browse page shows, as they appear in its URL: a day (`2025-01-14`), an ISO week
(`2025-W03`) or a month (`2025-01`). Pure date arithmetic, no Streamlit and no SQL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

VIEWS = {"day": "Day", "week": "Week", "month": "Month"}
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    """A day, week (Monday to Sunday) or calendar month."""

    view: str
    start: date
    end: date

    @property
    def key(self) -> str:
        """How the period is written in the URL."""
        if self.view == "day":
            return self.start.isoformat()
        if self.view == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        """How the period is written on the page."""
        if self.view == "day":
            return f"{self.start:%A %d %B %Y}"
        if self.view == "week":
            year, week, _ = self.start.isocalendar()
            return f"Week {week}, {year} ({self.start:%d %b} – {self.end:%d %b})"
        return f"{self.start:%B %Y}"

    def shifted(self, steps: int) -> Period:
        """The period `steps` weeks or months later (earlier when negative); days step in the page
        to the nearest day with papers instead."""
        if self.view == "day":
            return containing("day", self.start + timedelta(days=steps))
        if self.view == "week":
            return containing("week", self.start + timedelta(weeks=steps))
        months = self.start.year * 12 + self.start.month - 1 + steps
        return containing("month", date(months // 12, months % 12 + 1, 1))


def containing(view: str, day: date) -> Period:
    """The `view` period that contains `day`."""
    if view == "day":
        return Period("day", day, day)
    if view == "week":
        monday = day - timedelta(days=day.weekday())
        return Period("week", monday, monday + timedelta(days=6))
    if view == "month":
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return Period("month", first, following - timedelta(days=1))
    raise ValueError(f"view must be one of {sorted(VIEWS)}, not {view!r}")


def parse(view: str, key: str) -> Period | None:
    """The period written `key` in the URL, or None when it is not a valid one for `view`."""
    try:
        if view == "day":
            return containing("day", date.fromisoformat(key))
        if view == "week" and (match := _WEEK.match(key)):
            return containing("week", date.fromisocalendar(int(match[1]), int(match[2]), 1))
        if view == "month" and (match := _MONTH.match(key)):
            return containing("month", date(int(match[1]), int(match[2]), 1))
    except ValueError:
        return None
    return None
