"""The vote history chart stays readable with one observation (no millisecond ticks)."""

from __future__ import annotations

from datetime import datetime

import polars as pl

from dashboard.vote_chart import vote_history_chart


def chart_x(history: pl.DataFrame) -> dict:
    return vote_history_chart(history).to_dict()["encoding"]["x"]


def test_one_observation_gets_a_day_wide_time_axis_formatted_as_dates():
    x = chart_x(pl.DataFrame({"observed_at": [datetime(2025, 1, 6, 8)], "upvotes": [10]}))
    # Vega-Lite labels a zero-width time domain in milliseconds (".090"): the domain is a day.
    assert x["scale"]["domain"] == ["2025-01-05T20:00:00", "2025-01-06T20:00:00"]
    assert x["axis"]["format"] == "%d %b %H:%M"


def test_a_longer_history_keeps_its_own_span():
    history = pl.DataFrame({"observed_at": [datetime(2025, 1, 6, 8), datetime(2025, 1, 9, 8)], "upvotes": [10, 50]})
    assert chart_x(history)["scale"]["domain"] == ["2025-01-06T08:00:00", "2025-01-09T08:00:00"]
