"""Papers: a filterable, ranked table of papers with a CSV download of exactly what is shown."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import streamlit as st

from dashboard import ui
from dashboard.filters import RANKINGS, PaperFilters
from dashboard.repository import WarehouseRepository

BASES = {"listing": "Listing date", "arxiv": "arXiv date"}
RANK_LABELS = {"upvotes": "Upvotes", "hotness": "Hotness", "velocity": "Velocity"}


def read_filters(repo: WarehouseRepository) -> PaperFilters:
    """Draw the filter widgets (seeded from the URL), publish them to the URL, return them."""
    lo, hi = repo.date_bounds()
    options = repo.filter_options()
    can_rank = ["upvotes"] if repo.missing_objects(["paper_velocity"]) else list(RANKINGS)
    seeds = {
        "papers_basis": ui.param("basis", "listing") if ui.param("basis") in BASES else "listing",
        "papers_dates": (ui.param_date("from", max(lo, hi - timedelta(days=ui.DEFAULT_DAYS - 1))), ui.param_date("to", hi)),
        "papers_min": max(0, ui.param_int("min", 0)),
        "papers_gh": ui.param("gh") == "1",
        "papers_rank": ui.param("rank", "upvotes") if ui.param("rank") in can_rank else "upvotes",
        "papers_orgs": [o for o in ui.param_list("org") if o in options["organizations"]],
        "papers_subs": [s for s in ui.param_list("sub") if s in options["submitters"]],
        "papers_kw": [k for k in ui.param_list("kw") if k in options["keywords"]],
        "papers_nokw": [k for k in ui.param_list("nokw") if k in options["keywords"]],
    }
    for key, value in seeds.items():
        ui.seed_state(key, value)
    with st.container(border=True):
        c = st.columns([1.2, 2, 1, 1, 1.2], vertical_alignment="bottom")
        basis = c[0].selectbox("Date", list(BASES), format_func=BASES.get, key="papers_basis")
        picked = c[1].date_input("Date range", key="papers_dates", format="YYYY-MM-DD")
        min_upvotes = c[2].number_input("Min upvotes", min_value=0, step=5, key="papers_min")
        has_github = c[3].toggle("Has GitHub", key="papers_gh")
        rank_by = c[4].selectbox("Rank by", can_rank, format_func=RANK_LABELS.get, key="papers_rank")
        c = st.columns(4)
        orgs = c[0].multiselect("Organisation", options["organizations"], key="papers_orgs")
        subs = c[1].multiselect("Submitter", options["submitters"], key="papers_subs")
        include = c[2].multiselect("Keyword includes any", options["keywords"], key="papers_kw")
        exclude = c[3].multiselect("Keyword excludes", options["keywords"], key="papers_nokw")
    start, end = (picked[0], picked[-1]) if isinstance(picked, (list, tuple)) and picked else (None, None)
    ui.publish_params(
        {"basis": basis, "from": start and start.isoformat(), "to": end and end.isoformat(), "min": int(min_upvotes),
         "gh": "1" if has_github else None, "rank": rank_by, "org": orgs, "sub": subs, "kw": include, "nokw": exclude},
        {"basis": "listing", "min": 0, "rank": "upvotes"},
    )
    return PaperFilters(
        start=start, end=end, date_basis=basis, organizations=tuple(orgs), submitters=tuple(subs),
        include_keywords=tuple(include), exclude_keywords=tuple(exclude), has_github=has_github,
        min_upvotes=int(min_upvotes), rank_by=rank_by,
    )


def render(repo: WarehouseRepository) -> None:
    """Draw the Papers page from `repo`."""
    st.title("Papers")
    if not ui.ready(repo):
        return
    if repo.date_bounds()[0] is None:
        st.info("The published warehouse has no papers yet. Run a backfill to load some days.")
        return
    filters = read_filters(repo)
    shown = repo.papers(filters)
    total = repo.count_papers(filters)
    st.markdown(f"**{total:,} {'paper matches' if total == 1 else 'papers match'}** · showing {shown.height:,}" + (" (the first ones by rank)" if total > shown.height else ""))
    table = shown.with_columns(
        pl.concat_str(pl.lit("https://huggingface.co/papers/"), pl.col("paper_id")).alias("hf"),
    )
    event = ui.table(
        table,
        key="papers_table",
        max_height=640,
        on_select="rerun",
        selection_mode="single-row",
        column_order=[c for c in ["paper_id", "title", "listing_date", "arxiv_date", "upvotes", "hotness", "upvotes_per_day",
                                  "num_comments", "organization", "submitted_by", "keywords", "github_repo", "hf"] if c in table.columns],
        column_config={
            "paper_id": st.column_config.TextColumn("Paper", width="small"),
            "title": st.column_config.TextColumn("Title", width="large"),
            "listing_date": st.column_config.DateColumn("Listed"),
            "arxiv_date": st.column_config.DateColumn("arXiv"),
            "upvotes": st.column_config.NumberColumn("Upvotes", format="%d"),
            "hotness": st.column_config.NumberColumn("Hotness", format="%.3f"),
            "upvotes_per_day": st.column_config.NumberColumn("Upvotes/day", format="%.1f"),
            "num_comments": st.column_config.NumberColumn("Comments", format="%d"),
            "github_repo": st.column_config.LinkColumn("GitHub", display_text=r"https://github\.com/(.*)"),
            "hf": st.column_config.LinkColumn("HF", display_text="open ↗", width="small"),
        },
    )
    rows = event.selection.rows if event and event.selection else []
    left, right = st.columns([3, 1], vertical_alignment="center")
    with left:
        if rows:
            picked = shown.row(rows[0], named=True)
            ui.paper_link(picked["paper_id"], f"Open “{picked['title']}”")
        else:
            st.caption("Select a row to open the paper.")
    with right:
        ui.csv_download(shown, "papers.csv", key="papers_csv")


if __name__ == "__main__":
    from dashboard.context import current_repository

    render(current_repository())
