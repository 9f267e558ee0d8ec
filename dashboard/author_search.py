"""Finding any author by name (all authors, all time), kept in the URL as `?find=`."""

from __future__ import annotations

import streamlit as st

from dashboard import ui
from dashboard.links import page_link
from dashboard.repository import WarehouseRepository

SHOWN = 25


def author_search(repo: WarehouseRepository, key: str) -> None:
    """A search box over every author's name (or HF username); each match links to its page."""
    ui.seed_state(key, ui.param("find"))
    text = st.text_input(
        "Find an author by name", key=key, placeholder="e.g. Yann LeCun, or an HF username", icon=":material/person_search:"
    )
    ui.publish_params({"find": text.strip()})
    if not text.strip():
        return
    found = repo.find_authors(text, limit=SHOWN)
    if not found.height:
        st.caption(f"No author's name contains every word of “{text.strip()}”.")
        return
    more = " (the first shown)" if found.height == SHOWN else ""
    st.caption(f"{found.height:,} author{'s' if found.height != 1 else ''} found{more}, most papers first.")
    for row in found.iter_rows(named=True):
        last = f" · last listed {row['last_listing_date']:%b %Y}" if row["last_listing_date"] else ""
        handle = f" (@{row['hf_username']})" if row["hf_username"] else ""
        papers = f"{row['papers']:,} paper{'s' if row['papers'] != 1 else ''}"
        page_link("author", row["author_id"], f"{row['name']}{handle} · {papers}{last}")
