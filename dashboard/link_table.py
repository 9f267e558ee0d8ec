"""Tables whose entity links open in one click, in the same tab.

A click on a LinkColumn cell of `st.dataframe` takes one of two paths in the grid (glide-data-grid,
Streamlit 1.67, checked in Chromium). On the link's text, once the grid has drawn the pointer
hovering it (the hand cursor; it measures the text only then), the grid opens the URL in a new tab
and selects nothing. Elsewhere in the cell, or before that drawing, it selects the cell. A person's
pointer always rests on a name a frame before the click, so a click on a name took the first path:
a new tab, and nothing in this one. Both paths now open the entity here. A selected cell holding an
entity URL (dashboard.links) opens that page (`follow`, then `open_in_app` in the next run), and a
link table's new-tab open of an entity URL goes there in this tab instead (`SAME_TAB`; with Ctrl or
⌘ held it still opens a new tab). The browser's back button returns. The table's key changes after
each switch, so a return to this page starts with nothing selected (else it would switch again at
once).
"""

from __future__ import annotations

import json

import polars as pl
import streamlit as st

from dashboard import ui
from dashboard.links import ENTITIES, parse_url

# Part of every link table's widget key, so of its element's `st-key-…` class: SAME_TAB acts
# only on clicks in these tables.
MARK = "__link_table_"
# Go to an in-app URL as the app's own links do: a new history entry, then the app follows it. No
# second entry when the browser is there already: text drawn hovered between press and release
# makes one click take both paths.
GO = (
    "(url) => { if (location.pathname + location.search !== url) history.pushState({}, '', url);"
    " dispatchEvent(new PopStateEvent('popstate')); }"
)
# The URLs dashboard.links.parse_url reads (a test keeps them equal)
ENTITY_URL = "^/(" + "|".join(path for _, path, _ in ENTITIES.values()) + r")\?(.*&)?id=[^&#]"
SAME_TAB = f"""<script>(() => {{
  if (window.papersLinkTables) return;
  window.papersLinkTables = true;
  const go = {GO}, entity = new RegExp({json.dumps(ENTITY_URL)}), newTab = window.open.bind(window);
  let press = null;
  addEventListener("pointerdown", (event) => {{ press = event; }}, true);
  window.open = (url, ...rest) => {{
    const inTable = press?.target instanceof Element && press.target.closest({json.dumps(f'[class*="{MARK}"]')});
    if (!inTable || press.ctrlKey || press.metaKey || typeof url !== "string" || !entity.test(url)) return newTab(url, ...rest);
    go(url.split("#")[0]);
    return null;
  }};
}})();</script>"""


def open_in_app(url: str) -> None:
    """Go to `url` as the app's own links do: a new history entry, then the app follows it.

    Why not st.switch_page: the query string it sets reaches the browser before the page change,
    so history gets an entry of the old page with the new id (back then shows nothing useful).
    """
    st.html(f"<script>({GO})({json.dumps(url)});</script>", unsafe_allow_javascript=True)
    st.stop()


def link_table(frame: pl.DataFrame, key: str, column_config: dict, **kwargs) -> None:
    """`ui.table(frame)` where one click on a cell with an entity URL opens that entity's page."""
    pending = st.session_state.pop(f"{key}__open", None)
    if pending:
        open_in_app(pending)
    version = st.session_state.get(f"{key}__version", 0)
    widget = f"{key}{MARK}{version}"

    def follow() -> None:
        cells = st.session_state[widget]["selection"]["cells"]
        if not cells:
            return
        row, column = cells[0]
        value = frame[column][row] if column in frame.columns and frame[column].dtype == pl.String else None
        if value is not None and parse_url(value):
            st.session_state[f"{key}__open"] = value.partition("#")[0]
            st.session_state[f"{key}__version"] = version + 1

    # In the sidebar, below everything: an element with nothing to show still takes a gap.
    st.sidebar.html(SAME_TAB, unsafe_allow_javascript=True)
    ui.table(frame, key=widget, column_config=column_config, on_select=follow, selection_mode="single-cell", **kwargs)
