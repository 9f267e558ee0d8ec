"""Running one dashboard page through the real entry point (st.navigation) with AppTest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dashboard.nav import DASHBOARD_DIR, page_file

APP = DASHBOARD_DIR / "app.py"


def open_page(name: str, **params: str) -> AppTest:
    """Run app.py, then the page `name` with `params` in the URL; fail on any exception shown."""
    at = AppTest.from_file(APP, default_timeout=60)
    # As when a shared URL is opened: the parameters are there before the first run.
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if name != "overview":
        at.switch_page(page_file(name)).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    """Metric tiles shown, label -> (value, delta)."""
    return {m.label: (m.value, m.delta) for m in at.metric}


def markdown(at: AppTest) -> str:
    """All markdown text on the page, joined."""
    return "\n".join(m.value for m in at.markdown)
