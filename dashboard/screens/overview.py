"""Overview: KPI tiles against the previous period, papers over time, the upvote distribution."""

from __future__ import annotations

from datetime import date, timedelta

import altair as alt
import streamlit as st

from dashboard import ui
from dashboard.filters import PaperFilters
from dashboard.paper_list import paper_list
from dashboard.repository import WarehouseRepository

PERIODS = {"7d": 7, "30d": 30, "90d": 90, "1y": 365}
KPIS = [
    ("papers", "Papers", "{:,}"),
    ("upvotes", "Upvotes", "{:,}"),
    ("median_upvotes", "Median upvotes", "{:,.1f}"),
    ("authors", "Authors", "{:,}"),
    ("organizations", "Organisations", "{:,}"),
]


def periods(newest: date, days: int) -> tuple[tuple[date, date], tuple[date, date]]:
    """The `days` days ending on `newest` (inclusive), and the `days` days before them."""
    start = newest - timedelta(days=days - 1)
    return (start, newest), (start - timedelta(days=days), start - timedelta(days=1))


def render(repo: WarehouseRepository) -> None:
    """Draw the Overview page from `repo`."""
    st.title("Overview")
    if not ui.ready(repo):
        return
    fresh = repo.data_as_of()
    if not fresh["papers"]:
        st.info("The published warehouse has no papers yet. Run a backfill to load some days.")
        return
    newest = fresh["newest_listing_date"]
    ui.seed_state("overview_period", ui.param("period", "30d") if ui.param("period", "30d") in PERIODS else "30d")
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    period = (
        left.segmented_control("Period", list(PERIODS), key="overview_period", help="Days ending on the newest listing day")
        or "30d"
    )
    right.caption(f"Data as of **{ui.fmt_date(newest)}** · last publish {ui.fmt_time(fresh['last_publish'])}")
    ui.publish_params({"period": period}, {"period": "30d"})

    current, previous = periods(newest, PERIODS[period])
    now, before = repo.kpis(*current), repo.kpis(*previous)
    st.caption(f"{current[0]:%d %b %Y} – {current[1]:%d %b %Y}, compared with the {PERIODS[period]} days before")
    for column, (key, label, fmt) in zip(st.columns(len(KPIS)), KPIS, strict=True):
        value = now[key]
        delta = None if value is None or before[key] is None or not before["papers"] else value - before[key]
        column.metric(
            label, "—" if value is None else fmt.format(value), None if delta is None else fmt.format(delta), border=True
        )

    chart_col, dist_col = st.columns([3, 2])
    with chart_col:
        ui.seed_state("overview_grain", ui.param("grain", "day") if ui.param("grain") in ("day", "week", "month") else "day")
        grain = st.segmented_control("Papers per", ["day", "week", "month"], key="overview_grain") or "day"
        ui.publish_params({"grain": grain}, {"grain": "day"})
        per = repo.papers_per_period(grain, start=None if grain == "month" else current[0] - timedelta(days=PERIODS[period]))
        st.altair_chart(
            alt.Chart(per.to_pandas())
            .mark_bar(color="#FF9D00")
            .encode(
                x=alt.X("period_start:T", title=None),
                y=alt.Y("papers:Q", title="Papers", axis=alt.Axis(tickMinStep=1)),
                tooltip=[
                    alt.Tooltip("period_start:T", title=grain.capitalize()),
                    alt.Tooltip("papers:Q", title="Papers"),
                    alt.Tooltip("upvotes:Q", title="Upvotes"),
                ],
            )
            .properties(height=280),
            width="stretch",
        )
    with dist_col:
        st.markdown("**Upvote distribution** (papers in the period)")
        dist = repo.upvote_distribution(*current)
        st.altair_chart(
            alt.Chart(dist.to_pandas())
            .mark_bar(color="#6366F1")
            .encode(
                x=alt.X("upvotes:N", sort=None, title="Upvotes", axis=alt.Axis(labelAngle=0)),
                y=alt.Y("papers:Q", title="Papers", axis=alt.Axis(tickMinStep=1)),
                tooltip=[alt.Tooltip("upvotes:N", title="Upvotes"), alt.Tooltip("papers:Q", title="Papers")],
            )
            .properties(height=280),
            width="stretch",
        )
    st.subheader("Top papers in the period")
    paper_list(repo.papers(PaperFilters(start=current[0], end=current[1], limit=10)))


if __name__ == "__main__":
    from dashboard.context import current_repository

    render(current_repository())
