"""Trends: keyword counts per week, rising keywords, and how much of each week has keywords."""

from __future__ import annotations

import altair as alt
import streamlit as st

from dashboard import ui
from dashboard.analytics_queries import NEEDS
from dashboard.repository import WarehouseRepository


def week_ticks(frame) -> list[str]:
    """Axis ticks on the weeks' own Mondays (Vega's week ticks fall on Sundays)."""
    return [f"{d.isoformat()}T00:00:00" for d in sorted(set(frame["week_start"].to_list()))]


def render(repo: WarehouseRepository) -> None:
    """Draw the Trends page from `repo`."""
    st.title("Trends")
    if not ui.ready(repo) or not ui.needs(repo, NEEDS["trends"], "Keyword trends"):
        return
    top = repo.top_keywords(limit=30)
    if not top.height:
        st.info("No paper in this warehouse has keywords yet (HF adds AI keywords to recent papers).")
        return
    st.subheader("Keywords per week")
    options = top["keyword"].to_list()
    ui.seed_state("trends_keywords", [k for k in ui.param_list("kw") if k in options] or options[:5])
    chosen = st.multiselect("Keywords", options, key="trends_keywords", max_selections=10)
    ui.publish_params({"kw": chosen})
    weekly = repo.keyword_weekly(chosen)
    if weekly.height:
        st.altair_chart(
            alt.Chart(weekly.to_pandas())
            .mark_line(point=True)
            .encode(
                x=alt.X(
                    "yearmonthdate(week_start):T",
                    title="Week starting",
                    axis=alt.Axis(format="%d %b %Y", values=week_ticks(weekly), labelOverlap=True),
                ),
                y=alt.Y("papers:Q", title="Papers", axis=alt.Axis(tickMinStep=1)),
                color=alt.Color("keyword:N", title=None),
                tooltip=[
                    alt.Tooltip("week_start:T", title="Week starting"),
                    alt.Tooltip("keyword:N", title="Keyword"),
                    alt.Tooltip("papers:Q", title="Papers"),
                ],
            )
            .properties(height=300),
            width="stretch",
        )
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("Rising this week")
        rising = repo.rising_keywords()
        st.caption("Newest week's keywords scored against their own 8-week baseline (z-score, std floored at 1 paper).")
        ui.table(
            rising.select("keyword", "papers", "baseline_mean", "z_score"),
            column_config={
                "keyword": "Keyword",
                "papers": st.column_config.NumberColumn("Papers", format="%d"),
                "baseline_mean": st.column_config.NumberColumn("Baseline", format="%.1f"),
                "z_score": st.column_config.NumberColumn("z-score", format="%.2f"),
            },
        )
    with right:
        st.subheader("Keyword coverage")
        coverage = repo.keyword_coverage()
        st.caption("Share of each week's papers that carry any keyword: trends only describe this share.")
        st.altair_chart(
            alt.Chart(coverage.to_pandas())
            .mark_area(color="#6366F1", opacity=0.6)
            .encode(
                x=alt.X(
                    "yearmonthdate(week_start):T",
                    title="Week starting",
                    axis=alt.Axis(format="%d %b", values=week_ticks(coverage), labelOverlap=True),
                ),
                y=alt.Y("coverage:Q", title="Coverage", axis=alt.Axis(format="%")),
                tooltip=[
                    alt.Tooltip("week_start:T", title="Week starting"),
                    alt.Tooltip("papers:Q", title="Papers"),
                    alt.Tooltip("papers_with_keywords:Q", title="With keywords"),
                    alt.Tooltip("coverage:Q", title="Coverage", format=".0%"),
                ],
            )
            .properties(height=260),
            width="stretch",
        )


if __name__ == "__main__":
    from dashboard.context import current_repository

    render(current_repository())
