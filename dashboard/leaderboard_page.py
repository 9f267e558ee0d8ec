"""The Authors, Organisations and Submitters pages: a leaderboard for a date range, each name a link
to its page (dashboard.entity_page, all time).

`?from=&to=` hold the range, so a view can be shared. An old shared URL with `?key=` (the row a
page used to drill into) now opens that entity's page.
"""

from __future__ import annotations

from typing import cast

import polars as pl
import streamlit as st

from dashboard import ui
from dashboard.analytics_queries import NEEDS
from dashboard.author_search import author_search
from dashboard.link_table import link_table
from dashboard.links import hf_profile_url, link_column, with_link
from dashboard.nav import page_file
from dashboard.repository import WarehouseRepository

SHOWN_ROWS = 500  # the whole board, with co-authors, is one query away: SELECT * FROM author_leaderboard(start, end)
DEFAULT_DAYS = 90  # the range a page opens with: the newest 90 listing days

# kind -> (title, key column, label column, entity page, what the link column is called)
KINDS = {
    "authors": ("Authors", "author_id", "name", "author", "Author"),
    "organizations": ("Organisations", "organization", "fullname", "organization", "Organisation"),
    "submitters": ("Submitters", "submitter", "fullname", "submitter", "Submitter"),
}
HEADERS = {
    "rank": st.column_config.NumberColumn("#", width="small"),
    "papers": st.column_config.NumberColumn("Papers"),
    "median_upvotes": st.column_config.NumberColumn("Median upvotes", format="%.1f"),
    "first_listing_date": st.column_config.DateColumn("First listed", format="YYYY-MM-DD"),
    "last_listing_date": st.column_config.DateColumn("Last listed", format="YYYY-MM-DD"),
    "hf_profile": st.column_config.LinkColumn("HF profile", display_text=r"huggingface\.co/(.+)$"),
    "is_hf_staff": st.column_config.CheckboxColumn("HF staff"),
    "submitters": st.column_config.NumberColumn("Submitters"),
    "organizations": st.column_config.NumberColumn("Organisations"),
}


def render_leaderboard(repo: WarehouseRepository, kind: str) -> None:
    """Draw the `kind` leaderboard page ('authors', 'organizations' or 'submitters')."""
    title, key_col, label_col, entity, header = KINDS[kind]
    if ui.param("key"):
        st.switch_page(page_file(entity), query_params={"id": ui.param("key")})
    st.title(title)
    if not ui.ready(repo) or not ui.needs(repo, NEEDS["leaderboard"], f"The {entity} leaderboard"):
        return
    if repo.date_bounds()[0] is None:
        st.info("The published warehouse has no papers yet.")
        return
    if kind == "authors":
        author_search(repo, "authors_find")
    start, end = ui.date_range(repo, f"{kind}_dates", default_days=DEFAULT_DAYS)
    board = repo.leaderboard(kind, start, end, limit=SHOWN_ROWS)
    total = repo.leaderboard_size(kind, start, end)
    shown = f" (the top {board.height:,} below)" if total > board.height else ""
    st.caption(
        f"{total:,} {title.lower()} with papers listed {start:%d %b %Y} – {end:%d %b %Y}{shown}. "
        f"Open a name for its page, with every paper of all time."
    )
    link_table(
        display_board(board, kind),
        key=f"{kind}_board",
        max_height=560,
        column_config={
            **HEADERS,
            "link": link_column(header, width="medium"),
            "total_upvotes": st.column_config.ProgressColumn(
                "Total upvotes", format="%d", max_value=int(cast(int, board["total_upvotes"].max()) or 1) if board.height else 1
            ),
        },
    )
    ui.csv_download(board, f"{kind}_leaderboard.csv", key=f"{kind}_csv")


def display_board(board: pl.DataFrame, kind: str) -> pl.DataFrame:
    """The board as shown: the name a link to the entity page (labelled by its full name, else
    its key), ids dropped, no empty cell shown as 'None'."""
    _, key_col, label_col, entity, _ = KINDS[kind]
    labels = (
        board[label_col]
        if kind != "submitters"
        else board.select(
            pl.when(pl.col("fullname").is_not_null() & (pl.col("fullname") != pl.col("submitter")))
            .then(pl.format("{} ({})", "fullname", "submitter"))
            .otherwise(pl.col("submitter"))
            .alias("label")
        )["label"]
    )
    shown = with_link(board.with_columns(labels.alias("_label")), entity, key_col, "_label", "link")
    if kind == "authors":
        profiles = [hf_profile_url(u) if u else "" for u in board["hf_username"].to_list()]
        shown = shown.with_columns(pl.Series("hf_profile", profiles, dtype=pl.String))
    if kind == "submitters":
        shown = shown.with_columns(pl.col("is_hf_staff").fill_null(False))
    hidden = {key_col, label_col, "_label", "hf_username"}
    return shown.select("rank", "link", *[c for c in shown.columns if c not in hidden | {"rank", "link"}])
