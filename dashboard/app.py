"""Entry point: `streamlit run dashboard/app.py`. Frames every page with navigation and freshness.

Every page reads only the published, read-only warehouse (`$PAPERS_HOME/warehouse.duckdb`).
"""

from __future__ import annotations

import streamlit as st

from dashboard import links, ui
from dashboard.context import current_repository
from dashboard.nav import HIDDEN, PAGES, SECTIONS

st.set_page_config(page_title="Daily Papers warehouse", page_icon=":material/auto_stories:", layout="wide")


def home() -> None:
    """The root URL: the Overview. A default page answers only at "/", so the Overview page
    proper (url_path "overview") is another page, and /overview typed in works too."""
    from dashboard.screens import overview

    overview.render(current_repository())


navigation = {
    section: [
        st.Page(
            PAGES[name][0],
            title=PAGES[name][1],
            icon=PAGES[name][2],
            url_path=PAGES[name][3],
            visibility="hidden" if name in HIDDEN else "visible",
        )
        for name in names
    ]
    for section, names in SECTIONS.items()
}
first_section = next(iter(navigation))
navigation[first_section].insert(
    0, st.Page(home, title=PAGES["overview"][1], icon=PAGES["overview"][2], url_path="home", default=True, visibility="hidden")
)
page = st.navigation(navigation)
links.note_page(page.url_path)
ui.sidebar_freshness(current_repository())
page.run()
