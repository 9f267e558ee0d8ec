"""One author, organisation or submitter (`?id=`), over all time: who it is, its figures, papers
per month, its papers a page at a time (`&page=`), the people on its papers (`&people_page=`) and
the organisations around it. Every name is a link. Figures and the chart come from aggregates and
each table reads one page of rows, so a prolific entity's page costs about what a small one's does;
the CSV download still gives every paper (read when clicked)."""

from __future__ import annotations

import altair as alt
import polars as pl
import streamlit as st

from dashboard import entity_frames as ef, ui
from dashboard.author_search import author_search
from dashboard.entity_paging import page_count, page_from_url, pager, rows_label
from dashboard.entity_queries import ENTITY_NEEDS, RELATED_COLUMN
from dashboard.link_table import link_table
from dashboard.links import current_id, hf_profile_url, link_column
from dashboard.nav import PAGES, page_file
from dashboard.repository import WarehouseRepository

# kind -> (noun, leaderboard page, what `?id=` is)
KINDS = {
    "authors": ("author", "authors", "an author id"),
    "organizations": ("organisation", "organizations", "an HF organisation slug"),
    "submitters": ("submitter", "submitters", "an HF username"),
}
PAGE_ROWS = 50  # rows of the papers and people tables per page
# The people table counts the people on this many most recent papers of the entity: every
# co-author of a prolific author is millions of author slots to group at 10x history.
PEOPLE_LATEST_PAPERS = 500
RELATED_SHOWN = 100  # rows of the organisations / submitters table
DATE = st.column_config.DateColumn("Last listed", format="YYYY-MM-DD")


def render_entity(repo: WarehouseRepository, kind: str) -> None:
    """Draw the page of the `kind` entity named by `?id=` ('authors', 'organizations', 'submitters')."""
    noun, board, what = KINDS[kind]
    key = current_id(PAGES[kind[:-1]][3])
    if not ui.ready(repo) or not ui.needs(repo, ENTITY_NEEDS, f"The {noun} page"):
        st.title(noun.capitalize())
        return
    profile = repo.entity_profile(kind, key) if key else None
    if not profile:
        st.title(noun.capitalize())
        if key:
            st.warning(f"No {noun} with id `{key}` in the published warehouse.")
        else:
            st.caption(f"This page shows one {noun}: open it from a link, or as `?id=` with {what}.")
        if kind == "authors":
            author_search(repo, "author_page_search")
        st.page_link(page_file(board), label=f"All {board} by upvotes", icon=":material/leaderboard:")
        return
    header(kind, profile)
    # the entity's papers are found once; every table and figure below starts from these keys
    keys = repo.entity_keys(kind, key)
    figures = repo.entity_figures(kind, key, keys=keys)
    summary(figures)
    activity(repo.entity_months(kind, key, keys=keys))
    papers_section(repo, kind, key, keys, figures["papers"])
    people_section(repo, kind, key, keys, figures["papers"])
    related_kind = "submitter" if RELATED_COLUMN[kind] == "submitted_by" else "organization"
    title = "Submitters" if related_kind == "submitter" else "Organisations"
    shown = repo.entity_related(kind, key, RELATED_SHOWN, keys=keys)
    related(title, ef.related_table(shown, related_kind), f"{kind}_related")


def header(kind: str, profile: dict) -> None:
    """Title (the name, else the key) and where the entity lives on Hugging Face."""
    key, name = profile["key"], profile["name"]
    st.title(name or key)
    parts = []
    if kind == "authors":
        if profile["hf_username"]:
            parts.append(f"HF profile: [{profile['hf_username']}]({hf_profile_url(profile['hf_username'])})")
        else:
            parts.append("No HF account linked (this author has not claimed a paper)")
    else:
        parts.append(f"On Hugging Face: [{key}]({hf_profile_url(key)})")
    if kind == "submitters" and profile.get("is_hf_staff"):
        parts.append("HF staff")
    if kind == "submitters" and profile.get("follower_count") is not None:
        parts.append(f"{profile['follower_count']:,} followers")
    st.caption(" · ".join(parts))


def summary(shown: dict) -> None:
    """The entity's figures, all time (`repo.entity_figures`)."""
    median = "—" if shown["median_upvotes"] is None else f"{shown['median_upvotes']:,.1f}"
    # a wrapping row: on a phone the five figures take two or three lines, not five
    with st.container(horizontal=True, gap="medium"):
        for label, value in [
            ("Papers", f"{shown['papers']:,}"),
            ("Total upvotes", f"{shown['upvotes']:,}"),
            ("Median upvotes", median),
            ("First listed", ef.month_label(shown["first_listing_date"])),
            ("Last listed", ef.month_label(shown["last_listing_date"])),
        ]:
            st.metric(label, value, width="content")


def activity(counted: pl.DataFrame) -> None:
    """Papers per month (`repo.entity_months`), as bars."""
    monthly = ef.fill_months(counted)
    if monthly.height < 2:  # one month is one bar: the figures above say it
        return
    st.subheader("Papers per month")
    st.altair_chart(
        alt.Chart(monthly.to_pandas())
        .mark_bar(color="#FF9D00")
        .encode(
            x=alt.X("yearmonth(month):O", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, labelOverlap=True)),
            y=alt.Y("papers:Q", title="Papers", axis=alt.Axis(tickMinStep=1, format="d")),
            tooltip=[
                alt.Tooltip("yearmonth(month):T", title="Month"),
                alt.Tooltip("papers:Q", title="Papers"),
                alt.Tooltip("upvotes:Q", title="Upvotes"),
            ],
        )
        .properties(height=200),
        width="stretch",
    )


def papers_section(repo: WarehouseRepository, kind: str, key: str, keys: pl.DataFrame, total: int) -> None:
    """One page of the papers, most upvoted first, a pager, and every paper as CSV."""
    pages = page_count(total, PAGE_ROWS)
    page = page_from_url("page", pages)
    papers = repo.entity_papers_page(kind, key, PAGE_ROWS, (page - 1) * PAGE_ROWS, keys=keys)
    st.subheader(f"Papers ({total:,})")
    link_table(
        ef.paper_table(papers),
        key=f"{kind}_papers",
        max_height=460,
        column_config={
            "paper": link_column("Title", width="large"),
            "listing_date": st.column_config.DateColumn("Listed", format="YYYY-MM-DD"),
            "upvotes": st.column_config.NumberColumn("Upvotes"),
            "num_comments": st.column_config.NumberColumn("Comments"),
            "author_count": st.column_config.NumberColumn("Authors"),
            "organization_link": link_column("Organisation"),
            "submitter_link": link_column("Submitter"),
            "github_repo": st.column_config.LinkColumn("GitHub", display_text=r"github\.com/(.+)$"),
        },
    )
    pager("page", page, pages, rows_label(page, PAGE_ROWS, total))
    ui.csv_download_later(
        lambda: repo.entity_papers(kind, key),
        total,
        f"{kind[:-1]}_{key}_papers.csv".replace("/", "_"),
        key=f"{kind}_papers_csv",
    )


def people_section(repo: WarehouseRepository, kind: str, key: str, keys: pl.DataFrame, papers: int) -> None:
    """The people on the entity's latest papers (for an author: the co-authors), most shared
    papers first, a page at a time."""
    title = "Co-authors" if kind == "authors" else "Authors"
    page, people = people_page(repo, kind, key, keys, page_from_url("people_page", 10**9))
    total = int(people["people"][0]) if people.height else 0
    st.subheader(f"{title} ({total:,})")
    if papers > PEOPLE_LATEST_PAPERS:
        st.caption(f"On the {PEOPLE_LATEST_PAPERS:,} most recent of its {papers:,} papers.")
    if not people.height:
        st.caption("Nobody else is listed on these papers." if kind == "authors" else "No authors listed.")
        return
    link_table(
        ef.people_table(people),
        key=f"{kind}_people",
        max_height=420,
        column_config={
            "author": link_column("Name", width="medium"),
            "hf_profile": st.column_config.LinkColumn("HF profile", display_text=r"huggingface\.co/(.+)$"),
            "papers": st.column_config.NumberColumn("Papers together" if kind == "authors" else "Papers"),
            "upvotes": st.column_config.NumberColumn("Upvotes"),
            "last_listing_date": DATE,
        },
    )
    pager("people_page", page, page_count(total, PAGE_ROWS), rows_label(page, PAGE_ROWS, total))


def people_page(repo: WarehouseRepository, kind: str, key: str, keys: pl.DataFrame, wanted: int) -> tuple[int, pl.DataFrame]:
    """(page, its rows) of the people table: page `wanted`, or the last one when `wanted` is past
    the end (a stale URL). How many pages there are is known only with a page's rows."""
    people = repo.entity_people_page(kind, key, PAGE_ROWS, (wanted - 1) * PAGE_ROWS, PEOPLE_LATEST_PAPERS, keys=keys)
    if people.height or wanted == 1:
        return wanted, people
    _, first = people_page(repo, kind, key, keys, 1)
    last = page_count(int(first["people"][0]) if first.height else 0, PAGE_ROWS)
    return people_page(repo, kind, key, keys, last) if last > 1 else (1, first)


def related(title: str, table: pl.DataFrame, key: str) -> None:
    """A table of organisations or submitters of these papers (the first RELATED_SHOWN), each a
    link to its page."""
    count = f"{table.height:,}+" if table.height >= RELATED_SHOWN else f"{table.height:,}"
    st.subheader(f"{title} ({count})")
    if not table.height:
        st.caption(f"No {title.lower()} on these papers.")
        return
    link_table(
        table,
        key=key,
        max_height=320,
        column_config={
            "link": link_column(title[:-1], width="medium"),
            "papers": st.column_config.NumberColumn("Papers"),
            "upvotes": st.column_config.NumberColumn("Upvotes"),
            "last_listing_date": DATE,
        },
    )
