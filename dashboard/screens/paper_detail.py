"""Paper detail: abstract, authors, links, vote history and similar papers of one paper (`?id=`)."""

from __future__ import annotations

import streamlit as st

from dashboard import ui
from dashboard.analytics_queries import NEEDS
from dashboard.links import current_id, page_link
from dashboard.repository import WarehouseRepository
from dashboard.vote_chart import vote_history_chart

AUTHORS_SHOWN = 20  # the rest of a long author list (some have hundreds) folds into an expander


def pick_paper(repo: WarehouseRepository) -> str | None:
    """The paper named by `?id=`. The URL alone decides: a link to another paper changes the id and
    nothing remembered from an earlier paper overrides it. Without an id, a picker of the newest
    papers sets one."""
    wanted = current_id("paper")
    if wanted:
        return wanted
    titles = repo.paper_titles()
    if not titles.height:
        return None
    labels = dict(zip(titles["paper_id"], titles["title"], strict=True))
    st.selectbox(
        "Open a paper",
        list(labels),
        index=None,
        key="paper_pick",
        placeholder="Choose one of the newest papers",
        format_func=lambda pid: f"{pid} · {labels.get(pid, '')}",
        on_change=_open_picked,
    )
    return None


def _open_picked() -> None:
    if st.session_state.get("paper_pick"):
        st.query_params["id"] = st.session_state["paper_pick"]


def links(paper: dict) -> None:
    """Buttons to HF, arXiv, GitHub and the project page."""
    # a wrapping row: side by side on a phone too, and no gap where a paper has no GitHub
    with st.container(horizontal=True):
        st.link_button("Hugging Face", ui.hf_url(paper["paper_id"]), icon=":material/open_in_new:")
        st.link_button("arXiv", ui.arxiv_url(paper["paper_id"]), icon=":material/open_in_new:")
        if paper["github_repo"]:
            st.link_button("GitHub", paper["github_repo"], icon=":material/code:")
        if paper["project_page"]:
            st.link_button("Project page", paper["project_page"], icon=":material/language:")


def vote_history(repo: WarehouseRepository, paper_id: str) -> None:
    """The paper's observed upvote counts over time, with velocity figures when available."""
    st.subheader("Vote history")
    history = repo.vote_history(paper_id)
    if history.height == 1:
        seen = history.row(0, named=True)
        st.caption(
            f"One observation so far ({seen['upvotes']:,} upvotes at {ui.fmt_time(seen['observed_at'])}): "
            "re-fetching recent days builds the history."
        )
    elif not history.height:
        st.caption("No observation yet: re-fetching recent days builds the history.")
    if history.height >= 2:  # one point makes no line: the caption above says what was seen
        st.altair_chart(vote_history_chart(history), width="stretch")
    if not repo.missing_objects(NEEDS["velocity"]):
        velocity = repo.velocity(paper_id)
        if velocity:
            per_day, to_half, hot = velocity["upvotes_per_day"], velocity["hours_to_50pct"], velocity["hotness"]
            with st.container(horizontal=True, gap="medium"):
                st.metric("Upvotes per day", "—" if per_day is None else f"{per_day:,.1f}", width="content")
                st.metric("Hours to 50 % of votes", "—" if to_half is None else f"{to_half:,.1f}", width="content")
                st.metric("Hotness", "—" if hot is None else f"{hot:.3f}", width="content")


def render(repo: WarehouseRepository) -> None:
    """Draw the Paper detail page from `repo`."""
    if not ui.ready(repo):
        st.title("Paper")
        return
    paper_id = pick_paper(repo)
    if not paper_id:
        st.title("Paper")
        if not repo.date_bounds()[0]:
            st.warning("No papers yet.")
        return
    paper = repo.paper(paper_id)
    if not paper:
        st.title("Paper")
        st.warning(f"No paper with id `{paper_id}` in the published warehouse.")
        return
    st.title(paper["title"])
    st.caption(
        f"Listed {ui.fmt_date(paper['listing_date'])} · arXiv {ui.fmt_date(paper['published_at'])} · "
        f"**{paper['upvotes']:,} upvotes** · {ui.plural(paper['num_comments'] or 0, 'comment')}"
    )
    links(paper)
    main, side = st.columns([3, 2], gap="large")
    with main:
        st.subheader("Abstract")
        st.write(paper["summary"] or "_No abstract._")
        if paper["ai_keywords"]:
            st.markdown(" ".join(f":blue-badge[{k}]" for k in paper["ai_keywords"]))
        vote_history(repo, paper["paper_id"])
    with side:
        people(repo, paper)
        st.subheader("Similar papers")
        if ui.needs(repo, NEEDS["similar"], "Similar papers"):
            similar = repo.similar_papers(paper["paper_id"])
            if not similar.height:
                st.caption("No similar papers found.")
            for row in similar.iter_rows(named=True):
                page_link("paper", row["paper_id"], f"{row['title']} ({row['upvotes']} ↑)")


def people(repo: WarehouseRepository, paper: dict) -> None:
    """Organisation, submitter and authors, each a link to its page (long author lists folded)."""
    st.subheader("Organisation")
    if paper["organization"]:
        page_link("organization", paper["organization"], paper["organization"])
    else:
        st.caption("No organisation claimed this paper.")
    st.subheader("Submitted by")
    if paper["submitted_by"]:
        page_link("submitter", paper["submitted_by"], paper["submitted_by"])
    else:
        st.caption("Not recorded (the oldest listings do not say).")
    st.subheader(f"Authors ({paper['author_count']})")
    authors = list(repo.paper_authors(paper["paper_id"]).iter_rows(named=True))
    for author in authors[:AUTHORS_SHOWN]:
        page_link("author", author["author_id"], f"{author['position']}. {author['name']}")
    if len(authors) > AUTHORS_SHOWN:
        with st.expander(f"All {len(authors)} authors"):
            for author in authors[AUTHORS_SHOWN:]:
                page_link("author", author["author_id"], f"{author['position']}. {author['name']}")


if __name__ == "__main__":
    from dashboard.context import current_repository

    render(current_repository())
