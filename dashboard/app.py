"""Entry point: `streamlit run dashboard/app.py`. Frames every page with navigation and freshness.

Every page reads only the published, read-only warehouse (`$PAPERS_HOME/warehouse.duckdb`).
"""

from __future__ import annotations

import streamlit as st

from dashboard import links, ui
from dashboard.nav import HIDDEN, PAGES, SECTIONS
from dashboard.context import current_repository

st.set_page_config(page_title="Daily Papers warehouse", page_icon=":material/auto_stories:", layout="wide")

navigation = {
    section: [
        st.Page(PAGES[name][0], title=PAGES[name][1], icon=PAGES[name][2], url_path=PAGES[name][3], default=name == "overview",
                visibility="hidden" if name in HIDDEN else "visible")
        for name in names
    ]
    for section, names in SECTIONS.items()
}
page = st.navigation(navigation)
links.note_page(page.url_path)
ui.sidebar_freshness(current_repository())
page.run()
