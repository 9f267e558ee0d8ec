"""Papers: a filterable, ranked table of papers with a CSV download of exactly what is shown."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import polars as pl
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import ui
from dashboard.filters import RANKINGS, PaperFilters
from dashboard.link_table import link_table
from dashboard.links import link_column, with_link
from dashboard.repository import WarehouseRepository

BASES = {"listing": "Listing date", "arxiv": "arXiv date"}
RANK_LABELS = {"upvotes": "Upvotes", "hotness": "Hotness", "velocity": "Velocity"}


def read_filters(repo: WarehouseRepository) -> PaperFilters:
    """Draw the filter widgets (seeded from the URL), publish them to the URL, return them."""
    lo, hi = repo.date_bounds()
    assert lo is not None and hi is not None  # render() stops first when there are no papers
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
        c: Sequence[DeltaGenerator] = st.columns([1.2, 2, 1, 1, 1.2], vertical_alignment="bottom")
        basis = c[0].selectbox("Date", list(BASES), format_func=BASES.__getitem__, key="papers_basis")
        picked = c[1].date_input("Date range", key="papers_dates", format="YYYY-MM-DD")
        min_upvotes = c[2].number_input("Min upvotes", min_value=0, step=5, key="papers_min")
        has_github = c[3].toggle("Has GitHub", key="papers_gh")
        rank_by = c[4].selectbox("Rank by", can_rank, format_func=RANK_LABELS.__getitem__, key="papers_rank")
        c = st.columns(4)
        orgs = c[0].multiselect("Organisation", options["organizations"], key="papers_orgs")
        subs = c[1].multiselect("Submitter", options["submitters"], key="papers_subs")
        include = c[2].multiselect("Keyword includes any", options["keywords"], key="papers_kw")
        exclude = c[3].multiselect("Keyword excludes", options["keywords"], key="papers_nokw")
    start, end = (picked[0], picked[-1]) if isinstance(picked, (list, tuple)) and picked else (None, None)
    assert basis is not None and rank_by is not None  # select boxes without index=None always hold an option
    ui.publish_params(
        {
            "basis": basis,
            "from": start and start.isoformat(),
            "to": end and end.isoformat(),
            "min": int(min_upvotes),
            "gh": "1" if has_github else None,
            "rank": rank_by,
            "org": orgs,
            "sub": subs,
            "kw": include,
            "nokw": exclude,
        },
        {"basis": "listing", "min": 0, "rank": "upvotes"},
    )
    return PaperFilters(
        start=start,
        end=end,
        date_basis=basis,
        organizations=tuple(orgs),
        submitters=tuple(subs),
        include_keywords=tuple(include),
        exclude_keywords=tuple(exclude),
        has_github=has_github,
        min_upvotes=int(min_upvotes),
        rank_by=rank_by,
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
    st.markdown(
        f"**{total:,} {'paper matches' if total == 1 else 'papers match'}** · showing {shown.height:,}"
        + (" (the first ones by rank)" if total > shown.height else "")
    )
    paper_table(shown)
    ui.csv_download(shown, "papers.csv", key="papers_csv")


# Title first and wide, then what a reader scans (upvotes, organisation, GitHub) in the first
# ~1,100 px a 1440 px screen shows beside the sidebar; the rest after.
COLUMNS = {
    "open": link_column("Title", width="large", help="Opens the paper's page (Ctrl/⌘-click: in a new tab)"),
    "listing_date": st.column_config.DateColumn("Listed", format="YYYY-MM-DD", width="small"),
    "upvotes": st.column_config.NumberColumn("Upvotes", format="%d", width="small"),
    "organization": st.column_config.TextColumn("Organisation", width="medium"),
    "github_repo": st.column_config.LinkColumn("GitHub", display_text=r"https://github\.com/(.*)", width="medium"),
    "num_comments": st.column_config.NumberColumn("Comments", format="%d", width="small"),
    "submitted_by": st.column_config.TextColumn("Submitter", width="small"),
    "hotness": st.column_config.TextColumn("Hotness", width="small"),
    "upvotes_per_day": st.column_config.TextColumn(
        "Upvotes/day", width="small", help="— when the paper has a single vote observation"
    ),
    "arxiv_date": st.column_config.DateColumn("arXiv", format="YYYY-MM-DD", width="small"),
    "keywords": st.column_config.ListColumn("Keywords", width="medium"),
    "paper_id": st.column_config.TextColumn("Paper id", width="small"),
    "hf": st.column_config.LinkColumn("On HF", display_text="open ↗", width="small"),
}


def _text(column: str, digits: int) -> pl.Expr:
    return pl.col(column).round(digits).cast(pl.String).fill_null("—").alias(column)


def paper_table(shown: pl.DataFrame) -> None:
    """The papers as a table whose title opens the paper's page in one click, in this tab."""
    # The URL's fragment carries the title to show, quoted (a '%' or '#' in a title stays as it
    # is); the paper page reads only ?id=.
    table = with_link(shown, "paper", "paper_id", "title", "open").with_columns(
        pl.concat_str(pl.lit("https://huggingface.co/papers/"), pl.col("paper_id")).alias("hf"),
        pl.col("organization", "submitted_by", "github_repo").fill_null(""),
        # As text: a missing rate shows as a dash, not as "None".
        *[_text(column, digits) for column, digits in (("hotness", 3), ("upvotes_per_day", 1)) if column in shown.columns],
    )
    link_table(
        table, key="papers_table", max_height=640, column_order=[c for c in COLUMNS if c in table.columns], column_config=COLUMNS
    )


if __name__ == "__main__":
    from dashboard.context import current_repository

    render(current_repository())
