"""Which week a date names, the default week, and dates no digest can be written for."""

from __future__ import annotations

from datetime import date

import pytest

from digest.weeks import Week, WeekError, checked_week, last_complete_week


@pytest.mark.parametrize("day", [date(2024, 5, 27), date(2024, 5, 29), date(2024, 6, 2)])  # Monday, Wednesday, Sunday
def test_any_day_of_the_week_names_it(day):
    week = Week.containing(day)
    assert (week.start, week.end, week.label) == (date(2024, 5, 27), date(2024, 6, 2), "2024-W22")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2024, 6, 3), date(2024, 5, 27)),  # Monday: the week that ended yesterday
        (date(2024, 6, 9), date(2024, 5, 27)),  # Sunday: this week is not over yet
    ],
)
def test_the_default_is_the_last_complete_week(today, expected):
    assert last_complete_week(today).start == expected


def test_the_iso_year_names_a_week_that_straddles_new_year():
    assert Week.containing(date(2024, 12, 31)).label == "2025-W01"


def test_a_date_before_the_first_listing_is_refused_in_one_line():
    with pytest.raises(WeekError, match=r"^2023-05-03 is before the first Daily Papers listing \(2023-05-04\)"):
        checked_week(date(2023, 5, 3))
    assert checked_week(date(2023, 5, 4)).start == date(2023, 5, 1)  # the first week holds the first day
