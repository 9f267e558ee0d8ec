"""Data health: a calendar of loaded, quarantined and missing days, the newest loads, quarantined
records and publishes, each publish linked to its run in the Dagster UI."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import ui
from dashboard.browse_queries import BROWSE_NEEDS
from dashboard.load_calendar_chart import calendar_chart
from dashboard.repository import WarehouseRepository


def dagster_ui_url() -> str:
    """Where the Dagster UI runs: Settings.dagster_ui_url (`DAGSTER_UI_URL`, which `papers up`
    sets to the UI it starts; default the local `dagster dev`)."""
    from dashboard.context import current_settings

    return current_settings().dagster_ui_url


def run_url(run_id: str | None) -> str | None:
    """The run's page in the Dagster UI."""
    return f"{dagster_ui_url()}/runs/{run_id}" if run_id else None


def tiles(summary: dict) -> None:
    """Counts in one row, times in the next: a timestamp needs a wide tile to be read whole."""
    counts = st.columns(3)
    counts[0].metric("Partitions loaded", f"{summary['partitions']:,}", border=True)
    counts[1].metric(
        "Days missing",
        f"{summary['days_missing']:,}",
        border=True,
        help="Calendar days between the first and last loaded day with no loaded partition",
    )
    counts[2].metric("Quarantined records", f"{int(summary['quarantined']):,}", border=True)
    times = st.columns(2)
    times[0].metric("Last load", ui.fmt_time(summary["last_load"]), border=True)
    times[1].metric("Last publish", ui.fmt_time(summary["last_publish"]), border=True)
    st.caption(f"Loaded range: {ui.fmt_date(summary['first_day'])} – {ui.fmt_date(summary['last_day'])}")


def calendar(repo: WarehouseRepository) -> None:
    """The heatmap of every day from the first to the last loaded one."""
    st.subheader("Days loaded")
    if not ui.needs(repo, BROWSE_NEEDS["calendar"], "The calendar"):
        return
    days = repo.load_calendar()
    if days.height:
        st.altair_chart(calendar_chart(days), width="stretch")


def render(repo: WarehouseRepository) -> None:
    """Draw the Data health page from `repo`."""
    st.title("Data health")
    st.link_button("Open the Dagster UI (runs, partitions, checks, backfills)", dagster_ui_url(), icon=":material/open_in_new:")
    if not ui.ready(repo):
        return
    tiles(repo.load_summary())
    calendar(repo)
    left, right = st.columns([3, 1], gap="large")
    with left:
        st.subheader("Newest partitions")
        ui.table(
            repo.partition_loads(),
            max_height=320,
            column_config={
                "listing_date": st.column_config.DateColumn("Listing day", format="YYYY-MM-DD"),
                "loaded_papers": st.column_config.NumberColumn("Papers loaded", format="%d"),
                "raw_records": st.column_config.NumberColumn("Records fetched", format="%d"),
                "quarantined": st.column_config.NumberColumn("Quarantined", format="%d"),
                "fetch_count": st.column_config.NumberColumn("Fetches kept", format="%d"),
                "fetched_at": st.column_config.DatetimeColumn("Last fetch (UTC)", format="YYYY-MM-DD HH:mm"),
                "loaded_at": st.column_config.DatetimeColumn("Loaded (UTC)", format="YYYY-MM-DD HH:mm"),
            },
        )
    with right:
        st.subheader("Missing days")
        missing = repo.missing_days()
        if missing.height:
            ui.table(
                missing,
                max_height=320,
                column_config={"listing_date": st.column_config.DateColumn("Missing day", format="ddd YYYY-MM-DD")},
            )
        else:
            st.success("No gaps.")
    st.subheader("Quarantined records")
    quarantined = repo.quarantined()
    if quarantined.height:
        ui.table(
            quarantined.with_columns(pl.col("paper_id").fill_null("—")),
            column_config={
                "listing_date": st.column_config.DateColumn("Listing day", format="YYYY-MM-DD"),
                "record_index": st.column_config.NumberColumn(
                    "Record #", format="%d", help="0-based position in the day's listing"
                ),
                "paper_id": "Paper",
                "reason": "Why it was quarantined",
                "fetched_at": st.column_config.DatetimeColumn("Fetched (UTC)", format="YYYY-MM-DD HH:mm"),
                "raw_record": st.column_config.TextColumn("Raw record", width="large"),
            },
        )
    else:
        st.success("Nothing quarantined.")
    st.subheader("Publishes")
    publishes = repo.publish_history().with_columns(pl.col("run_id").map_elements(run_url, return_dtype=pl.String).alias("run"))
    ui.table(
        publishes.select("published_at", "run", "partitions", "papers"),
        column_config={
            "published_at": st.column_config.DatetimeColumn("Published (UTC)", format="YYYY-MM-DD HH:mm"),
            "run": st.column_config.LinkColumn(
                "Dagster run", display_text=r".*/runs/(.*)", help="Opens the run in the Dagster UI"
            ),
            "partitions": st.column_config.NumberColumn("Days in the warehouse", format="%d"),
            "papers": st.column_config.NumberColumn("Papers", format="%d"),
        },
    )


if __name__ == "__main__":
    from dashboard.context import current_repository

    render(current_repository())
