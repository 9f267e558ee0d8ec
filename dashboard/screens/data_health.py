"""Data health: partitions loaded, days missing, last run and publish, quarantined records."""

from __future__ import annotations

import os

import streamlit as st

from dashboard import ui
from dashboard.repository import WarehouseRepository


def dagster_ui_url() -> str:
    """Where the Dagster UI runs (`DAGSTER_UI_URL`, default the local `dagster dev`)."""
    return os.environ.get("DAGSTER_UI_URL", "http://127.0.0.1:3000")


def render(repo: WarehouseRepository) -> None:
    """Draw the Data health page from `repo`."""
    st.title("Data health")
    st.link_button("Open the Dagster UI (runs, partitions, checks, backfills)", dagster_ui_url(), icon=":material/open_in_new:")
    if not ui.ready(repo):
        return
    summary = repo.load_summary()
    cols = st.columns(5)
    cols[0].metric("Partitions loaded", f"{summary['partitions']:,}", border=True)
    cols[1].metric("Days missing", f"{summary['days_missing']:,}", border=True,
                   help="Calendar days between the first and last loaded day with no loaded partition")
    cols[2].metric("Quarantined records", f"{int(summary['quarantined']):,}", border=True)
    cols[3].metric("Last load (UTC)", ui.fmt_short(summary["last_load"]), border=True, help=ui.fmt_time(summary["last_load"]))
    cols[4].metric("Last publish (UTC)", ui.fmt_short(summary["last_publish"]), border=True, help=ui.fmt_time(summary["last_publish"]))
    st.caption(f"Loaded range: {ui.fmt_date(summary['first_day'])} – {ui.fmt_date(summary['last_day'])}")

    left, right = st.columns([3, 1], gap="large")
    with left:
        st.subheader("Newest partitions")
        ui.table(repo.partition_loads(), max_height=320)
    with right:
        st.subheader("Missing days")
        missing = repo.missing_days()
        if missing.height:
            ui.table(missing, max_height=320)
        else:
            st.success("No gaps.")
    st.subheader("Quarantined records")
    quarantined = repo.quarantined()
    if quarantined.height:
        ui.table(quarantined, column_config={"raw_record": st.column_config.TextColumn("Raw record", width="large")})
    else:
        st.success("Nothing quarantined.")
    st.subheader("Publishes")
    ui.table(repo.publish_history())


if __name__ == "__main__":
    from dashboard.context import current_repository

    render(current_repository())
