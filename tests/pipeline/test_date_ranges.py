"""Days written as text for a command line and read back (pipeline/date_ranges.py)."""

from __future__ import annotations

from datetime import date

from pipeline.date_ranges import days_as_text, days_between, days_from_text


def test_days_as_text_joins_consecutive_days_and_reads_back_in_order():
    days = [*days_between(date(2025, 4, 1), date(2025, 9, 30)), date(2025, 10, 5), date(2025, 10, 6), date(2025, 12, 1)]
    text = days_as_text(list(reversed(days)))
    assert text == "2025-04-01..2025-09-30,2025-10-05..2025-10-06,2025-12-01..2025-12-01"
    assert days_from_text(text) == days
    assert days_as_text([]) == "" and days_from_text("") == []
