"""Running one dashboard page through the real entry point (st.navigation) with AppTest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from dashboard.nav import DASHBOARD_DIR, PAGES

APP = DASHBOARD_DIR / "app.py"
ROOT = ""  # the url_path st.navigation gives app.py's default page (the Overview at "/")


def open_page(name: str, **params: str) -> AppTest:
    """Run app.py once on the page `name` with `params` in the URL, as a browser opening that URL
    does; fail on any exception shown."""
    at = AppTest.from_file(APP, default_timeout=60)
    # As when a shared URL is opened: the parameters are there before the first run.
    for key, value in params.items():
        at.query_params[key] = value
    url_path = ROOT if name == "overview" else PAGES[name][3]
    if url_path != ROOT:
        # st.Page identifies a page by the hash of its url_path. AppTest.switch_page() can only
        # map a file to it after a first run (its docstring says so), which ran the Overview for
        # nothing in every test; the check below fails loudly if Streamlit changes this.
        at._page_hash = calc_hash(url_path)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    # The first page this session ran (links.note_page keeps it as the previous one when that
    # page redirected, as an old ?key= URL does).
    first = at.session_state["_links_previous_page"] or at.session_state["_links_page"]
    assert first == url_path, f"AppTest ran page {first!r}, not {url_path!r}: see open_page"
    return at


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    """Metric tiles shown, label -> (value, delta)."""
    return {m.label: (m.value, m.delta) for m in at.metric}


def markdown(at: AppTest) -> str:
    """All markdown text on the page, joined."""
    return "\n".join(m.value for m in at.markdown)
