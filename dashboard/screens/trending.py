"""Trending: the papers of the last days ranked by hotness, with the upvotes they gained lately.

Hotness and gains come from the `votes` history (warehouse/views/060_browse.sql, trending_papers)
and are measured at the newest vote observation, not the wall clock, so a published snapshot
always answers the same. The window and the order are in the URL (`?days=7&sort=gained`).
"""

from __future__ import annotations

from datetime import date
from typing import cast

import streamlit as st

from dashboard import ui
from dashboard.browse_queries import BROWSE_NEEDS
from dashboard.paper_cards import paper_cards
from dashboard.repository import WarehouseRepository

WINDOWS = {3: "3 days", 7: "7 days", 14: "14 days", 30: "30 days"}
SORTS = {"hotness": "Hotness", "gained": "Upvotes gained (24 h)", "upvotes": "Upvotes"}
SHOWN = 60
DEFAULTS = {"days": 7, "sort": "hotness"}


def _on_change() -> None:
    # One replacement of the query string, so one browser history entry per click.
    chosen = {"days": st.session_state["trending_days"] or 7, "sort": st.session_state["trending_sort"] or "hotness"}
    st.query_params.from_dict({k: str(v) for k, v in chosen.items() if v != DEFAULTS[k]})


def render(repo: WarehouseRepository) -> None:
    """Draw the Trending page from `repo`."""
    st.title("Trending papers")
    if not ui.ready(repo) or not ui.needs(repo, BROWSE_NEEDS["trending"], "Trending"):
        return
    # The URL is the state: widgets are set from it on every run and their callbacks rewrite it.
    st.session_state["trending_days"] = ui.param_int("days", 7) if ui.param_int("days", 7) in WINDOWS else 7
    st.session_state["trending_sort"] = ui.param("sort", "hotness") if ui.param("sort") in SORTS else "hotness"
    left, right = st.columns(2, vertical_alignment="bottom")
    days = (
        left.segmented_control(
            "Listed in the last", list(WINDOWS), format_func=WINDOWS.__getitem__, key="trending_days", on_change=_on_change
        )
        or 7
    )
    sort = (
        right.segmented_control("Order by", list(SORTS), format_func=SORTS.__getitem__, key="trending_sort", on_change=_on_change)
        or "hotness"
    )
    papers = repo.trending(days, gain_days=1, limit=500)
    if not papers.height:
        st.info("No papers in this warehouse yet.")
        return
    # The macro ranks by hotness; the other orders break ties by that rank.
    by, descending = {"hotness": ([], []), "gained": (["upvotes_gained"], [True]), "upvotes": (["upvotes"], [True])}[sort]
    shown = papers.sort([*by, "rank"], descending=[*descending, False], nulls_last=True).head(SHOWN)
    as_of = repo.votes_as_of()
    st.caption(
        f"{papers.height:,} papers listed in the {days} days up to {ui.fmt_date(cast(date, papers['listing_date'].max()))}. "
        f"Hotness (upvotes / (age in hours + 2)^1.5) and the upvotes gained over the last 24 h of vote "
        f"history are measured at the newest vote observation, {ui.fmt_time(as_of)}; a gain needs an "
        "observation from a day earlier (re-fetching recent days builds the history)."
    )
    paper_cards(shown)


if __name__ == "__main__":
    from dashboard.context import current_repository

    render(current_repository())
