"""Paging of the long tables on entity pages: the page number lives in the URL (`&page=2` for the
papers, `&people_page=2` for the people), so a shared or reloaded address shows the same rows."""

from __future__ import annotations

import math

import streamlit as st

from dashboard import ui


def page_count(rows: int, per_page: int) -> int:
    """How many pages `rows` rows fill (at least one, so an empty table still has page 1)."""
    return max(1, math.ceil(rows / per_page))


def page_from_url(param: str, pages: int) -> int:
    """The 1-based page the URL names in `param`, kept within 1 .. pages (a stale or typed number
    shows the nearest page rather than nothing)."""
    return min(max(ui.param_int(param, 1), 1), pages)


def rows_label(page: int, per_page: int, rows: int) -> str:
    """'51–100 of 1,234': the rows page `page` shows."""
    if not rows:
        return "0 of 0"
    first = (page - 1) * per_page + 1
    return f"{first:,}–{min(page * per_page, rows):,} of {rows:,}"


def go_to_page(param: str, page: int) -> None:
    """Point the URL at `page` (a widget callback): one replacement keeps every other parameter
    and makes one browser history entry. Page 1 is the address without `param`."""
    wanted = st.query_params.to_dict()
    wanted.pop(param, None)
    if page > 1:
        wanted[param] = str(page)
    st.query_params.from_dict(wanted)


def pager(param: str, page: int, pages: int, caption: str) -> None:
    """Previous, `caption`, next under a table, on one line that wraps on a phone; nothing when
    everything fits on one page."""
    if pages <= 1:
        return
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        _step(param, "Previous", ":material/chevron_left:", "left", page - 1, pages)
        st.caption(caption, width="content", help=f"Page {page:,} of {pages:,}")
        _step(param, "Next", ":material/chevron_right:", "right", page + 1, pages)


def _step(param: str, label: str, icon: str, side, target: int, pages: int) -> None:
    """A pager button to page `target`, disabled when there is no such page."""
    enabled = 1 <= target <= pages
    st.button(
        label,
        icon=icon,
        icon_position=side,
        key=f"{param}_{label.lower()}",
        disabled=not enabled,
        on_click=go_to_page,
        args=(param, target),
        help=f"Page {target:,} of {pages:,}" if enabled else None,
    )
