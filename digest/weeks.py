"""Which ISO week (Monday to Sunday, UTC listing dates) a digest covers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from hf_api.defaults import FIRST_LISTING_DATE

FIRST_DAY = date.fromisoformat(FIRST_LISTING_DATE)


class WeekError(ValueError):
    """A week no digest can be written for (the message is one line for the user)."""


@dataclass(frozen=True)
class Week:
    """One ISO week: `start` is its Monday."""

    start: date

    @classmethod
    def containing(cls, day: date) -> Week:
        """The week `day` falls in (any day of the week names it)."""
        return cls(day - timedelta(days=day.weekday()))

    @property
    def end(self) -> date:
        """Its Sunday (inclusive)."""
        return self.start + timedelta(days=6)

    @property
    def days(self) -> list[date]:
        """Monday to Sunday."""
        return [self.start + timedelta(days=n) for n in range(7)]

    @property
    def previous(self) -> Week:
        """The week before."""
        return Week(self.start - timedelta(days=7))

    @property
    def label(self) -> str:
        """'2024-W22' (ISO year and week number)."""
        year, number, _ = self.start.isocalendar()
        return f"{year}-W{number:02d}"


def last_complete_week(today: date) -> Week:
    """The newest week whose Sunday is before `today` (the default of `papers digest`)."""
    return Week.containing(today).previous


def checked_week(day: date) -> Week:
    """The week of `day`; WeekError when `day` is before the first listing date the API serves."""
    if day < FIRST_DAY:
        raise WeekError(f"{day.isoformat()} is before the first Daily Papers listing ({FIRST_LISTING_DATE}): no digest for it")
    return Week.containing(day)
