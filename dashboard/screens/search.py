"""Search: full-text search over titles and abstracts (`?q=`)."""

from __future__ import annotations

import streamlit as st

from dashboard import ui
from dashboard.analytics_queries import NEEDS
from dashboard.repository import WarehouseRepository


def render(repo: WarehouseRepository) -> None:
    """Draw the Search page from `repo`."""
    st.title("Search")
    if not ui.ready(repo) or not ui.needs(repo, NEEDS["search"], "Search"):
        return
    ui.seed_state("search_q", ui.param("q"))
    query = st.text_input(
        "Search titles and abstracts", key="search_q", placeholder="e.g. diffusion sampler", icon=":material/search:"
    )
    ui.publish_params({"q": query.strip()})
    if not query.strip():
        st.caption(
            "Words are matched after folding case, accents and plurals; results are ranked by BM25 (title words count 3×)."
        )
        return
    hits = repo.search(query)
    noun, verb = ("paper", "matches") if hits.height == 1 else ("papers", "match")
    st.markdown(f"**{hits.height:,} {noun}** {verb} “{query.strip()}”" + (" (best 50 shown)" if hits.height == 50 else ""))
    for hit in hits.iter_rows(named=True):
        with st.container(border=True):
            ui.paper_link(hit["paper_id"], hit["title"])
            st.caption(
                f"{hit['paper_id']} · listed {ui.fmt_date(hit['listing_date'])} · "
                f"{hit['upvotes']} upvotes · score {hit['score']:.2f}"
            )


if __name__ == "__main__":
    from dashboard.context import current_repository

    render(current_repository())
