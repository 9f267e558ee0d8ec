"""The Authors, Organisations and Submitters pages: a leaderboard for a date range, with drill-down.

`?from=&to=` hold the range and `?key=` the row drilled into, so a view can be shared.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import ui
from dashboard.analytics_queries import NEEDS
from dashboard.repository import WarehouseRepository

SHOWN_ROWS = 500  # the whole board, with co-authors, is one query away: SELECT * FROM author_leaderboard(start, end)
DEFAULT_DAYS = 90  # the range a page opens with: the newest 90 listing days

# kind -> (title, key column, label column, what the key is called)
KINDS = {
    "authors": ("Authors", "author_id", "name", "author"),
    "organizations": ("Organisations", "organization", "fullname", "organisation"),
    "submitters": ("Submitters", "submitter", "fullname", "submitter"),
}


def render_leaderboard(repo: WarehouseRepository, kind: str) -> None:
    """Draw the `kind` leaderboard page ('authors', 'organizations' or 'submitters')."""
    title, key_col, label_col, noun = KINDS[kind]
    st.title(title)
    if not ui.ready(repo) or not ui.needs(repo, NEEDS["leaderboard"], f"The {noun} leaderboard"):
        return
    if repo.date_bounds()[0] is None:
        st.info("The published warehouse has no papers yet.")
        return
    start, end = ui.date_range(repo, f"{kind}_dates", default_days=DEFAULT_DAYS)
    board = repo.leaderboard(kind, start, end, limit=SHOWN_ROWS)
    total = repo.leaderboard_size(kind, start, end)
    shown = f" (the top {board.height:,} below)" if total > board.height else ""
    st.caption(f"{total:,} {title.lower()} with papers listed {start:%d %b %Y} – {end:%d %b %Y}{shown}. "
               "Select a row to drill down.")
    event = ui.table(
        board,
        key=f"{kind}_board",
        max_height=460,
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "rank": st.column_config.NumberColumn("#", width="small"),
            "total_upvotes": st.column_config.ProgressColumn(
                "Total upvotes", format="%d", max_value=int(board["total_upvotes"].max() or 1) if board.height else 1
            ),
            "median_upvotes": st.column_config.NumberColumn("Median upvotes", format="%.1f"),
        },
    )
    ui.csv_download(board, f"{kind}_leaderboard.csv", key=f"{kind}_csv")
    rows = event.selection.rows if event and event.selection else []
    key = board[key_col][rows[0]] if rows else ui.param("key") or None
    ui.publish_params({"key": key})
    if key:
        drill_down(repo, kind, key, board, start, end)


def drill_down(repo: WarehouseRepository, kind: str, key: str, board: pl.DataFrame, start, end) -> None:
    """One leaderboard row in detail: its figures and its papers in the range."""
    title, key_col, label_col, noun = KINDS[kind]
    row = board.filter(pl.col(key_col) == key)
    label = (row[label_col][0] if row.height and row[label_col][0] else None) or key
    st.divider()
    st.subheader(label)
    if kind == "authors":
        author = repo.author(key)
        if author and author["hf_username"]:
            st.markdown(f"HF profile: [{author['hf_username']}](https://huggingface.co/{author['hf_username']})")
    if row.height:
        figures = row.row(0, named=True)
        cols = st.columns(5)
        cols[0].metric("Rank", f"#{figures['rank']}")
        cols[1].metric("Papers", f"{figures['papers']:,}")
        cols[2].metric("Total upvotes", f"{int(figures['total_upvotes']):,}")
        cols[3].metric("Median upvotes", f"{figures['median_upvotes']:,.1f}")
        # one row's people are cheap to count; the board's 500 rows' were not (see the macros)
        if kind == "authors":
            cols[4].metric("Co-authors", f"{repo.co_authors(key, start, end):,}")
        else:
            cols[4].metric("Authors", f"{repo.distinct_authors(kind, key, start, end):,}")
    else:
        st.caption(f"This {noun} has no papers in the selected range.")
    papers = repo.leaderboard_papers(kind, key, start, end)
    for paper in papers.head(50).iter_rows(named=True):
        ui.paper_link(paper["paper_id"], f"{paper['title']} · {paper['listing_date']:%d %b %Y} · {paper['upvotes']} ↑")
