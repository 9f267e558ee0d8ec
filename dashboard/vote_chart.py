"""The vote history chart of one paper: upvotes observed over time.

With a single observation Vega-Lite's time axis has a zero-width domain and labels it in
milliseconds (".090"); the domain is therefore always at least a day wide, and the axis is
formatted as dates with hours. Paper detail draws it (`st.altair_chart(vote_history_chart(h))`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

import altair as alt
import polars as pl

MIN_SPAN = timedelta(days=1)


def time_domain(observed: pl.Series) -> list[str]:
    """The x domain: the observations' span, widened around its middle to at least a day."""
    first, last = cast(datetime, observed.min()), cast(datetime, observed.max())
    if last - first >= MIN_SPAN:
        return [first.isoformat(), last.isoformat()]
    middle = first + (last - first) / 2
    return [(middle - MIN_SPAN / 2).isoformat(), (middle + MIN_SPAN / 2).isoformat()]


def vote_history_chart(history: pl.DataFrame, height: int = 240) -> alt.Chart:
    """`history` (observed_at, upvotes) as a line with points, readable with one point or many."""
    top = max(int(cast(int, history["upvotes"].max()) or 0), 1)
    return (
        alt.Chart(history.select("observed_at", "upvotes").to_pandas())
        .mark_line(point=True, color="#FF9D00")
        .encode(
            x=alt.X(
                "observed_at:T",
                title="Observed (UTC)",
                scale=alt.Scale(domain=time_domain(history["observed_at"])),
                axis=alt.Axis(format="%d %b %H:%M", labelAngle=0, tickCount=6),
            ),
            y=alt.Y("upvotes:Q", title="Upvotes", scale=alt.Scale(domain=[0, top]), axis=alt.Axis(format="d", tickMinStep=1)),
            tooltip=[
                alt.Tooltip("observed_at:T", title="Observed (UTC)", format="%Y-%m-%d %H:%M"),
                alt.Tooltip("upvotes:Q", title="Upvotes"),
            ],
        )
        .properties(height=height)
    )
