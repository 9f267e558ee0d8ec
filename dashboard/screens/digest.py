"""Weekly digest: the newest digest in $PAPERS_HOME/digests/ (or the week in `?week=`), the
weeks there, and the Atom feed and HTML page to download.

The files are written by `papers digest` and the Dagster asset `weekly_digest` (digest/); this
page only reads them, so it shows exactly what a reader of the files gets.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import streamlit as st

from dashboard import ui
from dashboard.repository import WarehouseRepository
from digest.files import DigestFiles


def _week_label(start: date) -> str:
    year, number, _ = start.isocalendar()
    return f"{year}-W{number:02d} (from {ui.fmt_date(start)})"


def framed(markdown: str) -> tuple[str, str]:
    """The digest's title and its body with every heading two levels down: inside the page, its
    `#` and `##` would be as large as the page's own title."""
    title, _, body = markdown.partition("\n")
    return title.lstrip("# ").strip(), re.sub(r"^(#+) ", r"\1## ", body, flags=re.MULTILINE)


def render(repo: WarehouseRepository, folder: Path) -> None:
    """Draw the digest page from the digest files in `folder` (`repo`: to say how to make a
    warehouse when there is neither a digest nor a warehouse to write one from)."""
    st.title("Weekly digest")
    files = DigestFiles(folder)
    weeks = files.weeks()
    if not weeks and not ui.ready(repo):
        return
    if not weeks:
        st.info(
            "No digest yet. The Dagster asset `weekly_digest` writes one after a week's days load, or write one now:",
            icon=":material/newspaper:",
        )
        newest = repo.data_as_of()["newest_listing_date"]
        st.code(f"papers digest --week {newest.isoformat()}" if newest else "papers digest", language="bash")
        st.caption(f"Looked in `{folder}`.")
        return
    asked = ui.param("week")
    chosen = next((week for week in weeks if week.isoformat() == asked), weeks[0])
    left, right, feed = st.columns([3, 1, 1], vertical_alignment="bottom")
    picked = left.selectbox("Week", weeks, index=weeks.index(chosen), format_func=_week_label, key="digest_week")
    if picked != chosen:
        st.query_params["week"] = picked.isoformat()
        chosen = picked
    html = files.html(chosen)
    if html.is_file():
        right.download_button("HTML page", html.read_bytes(), file_name=html.name, mime="text/html", icon=":material/download:")
    if files.feed.is_file():
        feed.download_button(
            "Atom feed",
            files.feed.read_bytes(),
            file_name=files.feed.name,
            mime="application/atom+xml",
            icon=":material/rss_feed:",
        )
        st.caption(
            f"Feed readers can subscribe to `{files.feed.as_uri()}` (the newest two weeks' papers, rewritten with every digest)."
        )
    title, body = framed(files.markdown(chosen).read_text())
    with st.container(border=True):
        st.subheader(title)
        st.markdown(body)


if __name__ == "__main__":
    from dashboard.context import current_repository, current_settings

    render(current_repository(), current_settings().warehouse.digests_dir)
