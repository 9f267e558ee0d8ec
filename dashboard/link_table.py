"""Tables whose entity links open in one click, in the same tab.

A LinkColumn cell of `st.dataframe` opens its URL in a new tab, and only once the cell is already
selected (two clicks, checked in Chromium). Here a table also listens for a cell selection: a
selected cell holding an entity URL (dashboard.links) opens that page, so one click opens
it (in the same tab) and the browser's back button returns. The table's key changes after each such switch, so a
return to this page starts with nothing selected (else it would switch again at once).
"""

from __future__ import annotations

import json

import polars as pl
import streamlit as st

from dashboard import ui
from dashboard.links import parse_url


def open_in_app(url: str) -> None:
    """Go to `url` as the app's own links do: a new history entry, then the app follows it.

    Why not st.switch_page: the query string it sets reaches the browser before the page change,
    so history gets an entry of the old page with the new id (back then shows nothing useful).
    """
    st.html(
        f"<script>history.pushState({{}}, '', {json.dumps(url)}); dispatchEvent(new PopStateEvent('popstate'));</script>",
        unsafe_allow_javascript=True,
    )
    st.stop()


def link_table(frame: pl.DataFrame, key: str, column_config: dict, **kwargs) -> None:
    """`ui.table(frame)` where selecting a cell with an entity URL opens that entity's page."""
    pending = st.session_state.pop(f"{key}__open", None)
    if pending:
        open_in_app(pending)
    version = st.session_state.get(f"{key}__version", 0)
    widget = f"{key}__{version}"

    def follow() -> None:
        cells = st.session_state[widget]["selection"]["cells"]
        if not cells:
            return
        row, column = cells[0]
        value = frame[column][row] if column in frame.columns and frame[column].dtype == pl.String else None
        if value is not None and parse_url(value):
            st.session_state[f"{key}__open"] = value.partition("#")[0]
            st.session_state[f"{key}__version"] = version + 1

    ui.table(frame, key=widget, column_config=column_config, on_select=follow, selection_mode="single-cell", **kwargs)
