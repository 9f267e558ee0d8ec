"""Browse: one day, week or month of papers ranked by upvotes, as cards (like huggingface.co/papers).

The URL is the state (`?view=day&date=2025-01-14`, `?view=week&week=2025-W03`,
`?view=month&month=2025-01`): the buttons only rewrite it, so a shared link shows the same papers
and the browser's back and forward buttons step through the periods seen.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import ui
from dashboard.browse_periods import VIEWS, Period, containing, parse
from dashboard.browse_queries import BROWSE_NEEDS
from dashboard.nav import page_file
from dashboard.paper_cards import paper_cards
from dashboard.repository import WarehouseRepository

URL_KEYS = {"day": "date", "week": "week", "month": "month"}
SHOWN = {"day": 100, "week": 60, "month": 60}


def go_to(period: Period) -> None:
    """Point the URL at `period` (a widget callback: the rerun that follows reads it). One
    replacement, one browser history entry (clear-then-set would push two)."""
    st.query_params.from_dict({"view": period.view, URL_KEYS[period.view]: period.key})


def period_from_url(newest: date) -> Period:
    """The period the URL names, else the one holding the newest listing day."""
    view = ui.param("view", "day") if ui.param("view") in VIEWS else "day"
    return parse(view, ui.param(URL_KEYS[view])) or containing(view, newest)


def _on_view_change(current: Period) -> None:
    go_to(containing(st.session_state["browse_view"] or current.view, current.start))


def _on_date_change(current: Period) -> None:
    picked = st.session_state["browse_date"]
    if picked:
        go_to(containing(current.view, picked))


def steps(repo: WarehouseRepository, period: Period) -> tuple[Period | None, Period | None]:
    """The periods the previous/next buttons go to: for a day, the nearest days with papers."""
    if period.view != "day":
        return period.shifted(-1), period.shifted(1)
    before, after = repo.adjacent_days(period.start)
    return (containing("day", before) if before else None), (containing("day", after) if after else None)


def controls(repo: WarehouseRepository, period: Period, bounds: tuple[date, date]) -> None:
    """View switch, previous / date / next, all writing the URL."""
    st.session_state["browse_view"] = period.view
    st.session_state["browse_date"] = period.start
    previous, following = steps(repo, period)
    unit = period.view
    top = st.columns([2, 3], vertical_alignment="bottom")
    top[0].segmented_control(
        "View",
        list(VIEWS),
        format_func=VIEWS.__getitem__,
        key="browse_view",
        on_change=_on_view_change,
        args=(period,),
        label_visibility="collapsed",
    )
    nav = st.columns([1, 1.3, 1], vertical_alignment="bottom")
    _step_button(nav[0], f"Previous {unit}", ":material/chevron_left:", "browse_prev", previous)
    nav[1].date_input(
        "Go to date",
        key="browse_date",
        min_value=bounds[0],
        max_value=bounds[1],
        format="YYYY-MM-DD",
        on_change=_on_date_change,
        args=(period,),
        label_visibility="collapsed",
    )
    _step_button(nav[2], f"Next {unit}", ":material/chevron_right:", "browse_next", following)


def _step_button(column, label: str, icon: str, key: str, target: Period | None) -> None:
    """A previous/next button that goes to `target`, disabled when there is none."""
    column.button(
        label,
        icon=icon,
        width="stretch",
        key=key,
        disabled=target is None,
        on_click=go_to,
        args=(target,),
        help=f"Go to {target.label}" if target else None,
    )


def render(repo: WarehouseRepository) -> None:
    """Draw the Browse page from `repo`."""
    st.title("Browse papers")
    if not ui.ready(repo) or not ui.needs(repo, BROWSE_NEEDS["browse"], "Browsing"):
        return
    lo, hi = repo.date_bounds()
    if lo is None or hi is None:
        st.info("The published warehouse has no papers yet. Run a backfill to load some days.")
        return
    period = period_from_url(hi)
    controls(repo, period, (min(lo, period.start), max(hi, period.end)))
    summary = repo.period_summary(period.start, period.end)
    st.subheader(period.label)
    if not summary["papers"]:
        st.info(
            f"No papers were listed in {period.label}. The warehouse holds listings from "
            f"{ui.fmt_date(lo)} to {ui.fmt_date(hi)}; use the buttons to step to a day with papers."
        )
        return
    cards = repo.paper_cards(period.start, period.end, limit=SHOWN[period.view])
    left, right = st.columns([3, 1], vertical_alignment="center")
    days = "" if period.view == "day" else f" over {summary['days']} listing day{'s' if summary['days'] != 1 else ''}"
    left.markdown(
        f"**{summary['papers']:,} paper{'s' if summary['papers'] != 1 else ''}**{days} · "
        f"{summary['upvotes']:,} upvotes · ranked by upvotes"
        + (f" · the top {cards.height} shown" if summary["papers"] > cards.height else "")
    )
    with right:
        st.page_link(
            page_file("papers"),
            label="All of them in the Papers table",
            icon=":material/table:",
            query_params={"from": period.start.isoformat(), "to": period.end.isoformat()},
        )
    paper_cards(cards)


if __name__ == "__main__":
    from dashboard.context import current_repository

    render(current_repository())
