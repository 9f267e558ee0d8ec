"""The Data health calendar: one square per listing day (loaded, quarantined or missing), a row of
weeks per year, like a contribution graph. Built with Altair (Vega-Lite), drawn by st.altair_chart."""

from __future__ import annotations

from datetime import date, timedelta

import altair as alt
import polars as pl

STATUS_COLOURS = {"loaded": "#16a34a", "quarantined": "#f59e0b", "missing": "#dc2626"}
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def calendar_frame(days: pl.DataFrame) -> pl.DataFrame:
    """`days` (listing_date, status, papers, quarantined) with the square each day is drawn in:
    its year, the Monday of its week (x) and its weekday (y)."""
    return days.with_columns(
        pl.col("listing_date").dt.year().alias("year"),
        (pl.col("listing_date") - pl.duration(days=pl.col("listing_date").dt.weekday() - 1)).alias("week_start"),
        pl.col("listing_date").dt.strftime("%a").alias("weekday"),
    ).with_columns((pl.col("week_start") + pl.duration(days=7)).alias("week_end"))


def _year_chart(frame: pl.DataFrame, year: int) -> alt.Chart:
    domain = [date(year, 1, 1) - timedelta(days=date(year, 1, 1).weekday()), date(year + 1, 1, 1)]
    return (
        alt.Chart(frame.filter(pl.col("year") == year).to_pandas(), title=alt.TitleParams(str(year), anchor="start"))
        .mark_rect(stroke="white", strokeWidth=1.5, cornerRadius=2, clip=True)
        .encode(
            x=alt.X(
                "week_start:T",
                title=None,
                scale=alt.Scale(domain=[d.isoformat() for d in domain]),
                axis=alt.Axis(format="%b", tickCount="month", labelAlign="left", grid=False),
            ),
            x2="week_end:T",
            y=alt.Y(
                "weekday:O",
                sort=WEEKDAYS,
                title=None,
                axis=alt.Axis(labelExpr="indexof(['Mon','Wed','Fri'], datum.value) >= 0 ? datum.value : ''"),
            ),
            color=alt.Color(
                "status:N",
                title="Day",
                scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("listing_date:T", title="Listing day", format="%a %d %b %Y"),
                alt.Tooltip("status:N", title="Status"),
                alt.Tooltip("papers:Q", title="Papers loaded"),
                alt.Tooltip("quarantined:Q", title="Records quarantined"),
            ],
        )
        .properties(height=120, width="container")
    )


def calendar_chart(days: pl.DataFrame) -> alt.VConcatChart:
    """Every year of `days` as a row of weekly columns, newest year first."""
    frame = calendar_frame(days)
    years = sorted(frame["year"].unique().to_list(), reverse=True)
    return alt.vconcat(*[_year_chart(frame, year) for year in years]).configure_view(stroke=None)
