"""The dashboard's URL contract and the links that follow it.

Every entity has one stable address, whatever page names it:

    /paper?id=<paper_id>   /author?id=<author_id>   /organization?id=<slug>   /submitter?id=<username>

`url()` builds them (for tables: `labelled_url()` + `link_column()`), `page_link()` draws one as an
in-app link (an `<a href>` that Streamlit follows without reloading the app).
"""

from __future__ import annotations

from html import escape
from urllib.parse import parse_qs, quote, urlencode

import polars as pl
import streamlit as st

from dashboard.nav import page_file

# entity -> (page name in dashboard.nav.PAGES, url path, icon)
ENTITIES = {
    "paper": ("paper", "paper", ":material/description:"),
    "author": ("author", "author", ":material/person:"),
    "organization": ("organization", "organization", ":material/corporate_fare:"),
    "submitter": ("submitter", "submitter", ":material/upload:"),
}
# A table cell shows the label carried after '#' in its URL (see labelled_url): LinkColumn's
# display_text takes a regex whose first group it shows, URL-decoded.
LABEL_PATTERN = r"#(.+)$"


def url(entity: str, key: str) -> str:
    """The entity's address, e.g. url('paper', '2501.00001') == '/paper?id=2501.00001'."""
    return f"/{ENTITIES[entity][1]}?{urlencode({'id': key})}"


def labelled_url(entity: str, key: str, label: str | None) -> str:
    """`url()` with `label` (or the key) after '#', for a table cell that shows the label."""
    return f"{url(entity, key)}#{quote(label or key, safe='')}"


def parse_url(value: str | None) -> tuple[str, str] | None:
    """(page name, id) of an entity URL made by `url()` or `labelled_url()`; None for anything else."""
    if not value or not value.startswith("/"):
        return None
    path, _, rest = value[1:].partition("?")
    pages = {spec[1]: spec[0] for spec in ENTITIES.values()}
    key = parse_qs(rest.partition("#")[0]).get("id")
    return (pages[path], key[0]) if path in pages and key else None


def anchor(href: str, text: str, css_class: str | None = None) -> str:
    """An HTML `<a href>` opening in the same tab, text escaped (for st.html and HTML markdown)."""
    klass = f' class="{escape(css_class)}"' if css_class else ""
    return f'<a href="{escape(href)}" target="_self"{klass}>{escape(text)}</a>'


def hf_profile_url(username: str) -> str:
    """An HF user's or organisation's page on huggingface.co."""
    return f"https://huggingface.co/{quote(username)}"


def with_link(frame: pl.DataFrame, entity: str, key_col: str, label_col: str, into: str) -> pl.DataFrame:
    """`frame` with column `into` holding each row's labelled URL (label from `label_col`,
    falling back to the key)."""
    links = [
        labelled_url(entity, key, label) if key is not None else None
        for key, label in zip(frame[key_col].to_list(), frame[label_col].to_list(), strict=True)
    ]
    return frame.with_columns(pl.Series(into, links, dtype=pl.String))


def link_column(title: str, **kwargs):
    """A table column of labelled URLs shown as their labels (opens the entity in a new tab)."""
    kwargs.setdefault("alignment", "left")  # display_text would centre it
    return st.column_config.LinkColumn(title, display_text=LABEL_PATTERN, **kwargs)


def note_page(url_path: str) -> None:
    """Remember which page this run shows, and which the run before showed (app.py calls it)."""
    st.session_state["_links_previous_page"] = st.session_state.get("_links_page")
    st.session_state["_links_page"] = url_path


def current_id(url_path: str) -> str:
    """The entity id of this page's URL (`?id=`), written to the address bar when it is not there.

    A link to the page already open (one paper to another) reruns it with the new id without
    changing the browser's URL, so then the id is written back, which makes Streamlit push the new
    address (a history entry: back returns to the previous entity). Only then: coming from another
    page, Streamlit sets the address itself, and a write-back could reach the browser before the
    page change and leave an entry of the old page with this id.
    """
    key = st.query_params.get("id", "")
    previous = st.session_state.get("_links_previous_entity")
    if key and st.session_state.get("_links_previous_page") == url_path and previous not in (None, key):
        st.query_params["id"] = key
    st.session_state["_links_previous_entity"] = key
    return key


def page_link(entity: str, key: str, label: str, icon: str | None = None) -> None:
    """An in-app link to the entity's page; the browser's back button returns here."""
    page, _, default_icon = ENTITIES[entity]
    st.page_link(page_file(page), label=label, query_params={"id": key}, icon=icon or default_icon)
