"""The dashboard's entity URLs, as plain relative links any page (or a shared message) can use:
`/paper?id=<paper_id>`, `/author?id=<author_id>`, `/organization?id=<slug>`,
`/submitter?id=<username>`, and the Browse page's `/browse?view=day&date=YYYY-MM-DD`."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode


def _url(path: str, **params) -> str:
    return f"/{path}?{urlencode({k: v for k, v in params.items() if v is not None})}"


def paper_url(paper_id: str) -> str:
    """The paper's page."""
    return _url("paper", id=paper_id)


def author_url(author_id: str) -> str:
    """The author's page."""
    return _url("author", id=author_id)


def organization_url(slug: str) -> str:
    """The organisation's page."""
    return _url("organization", id=slug)


def submitter_url(username: str) -> str:
    """The submitter's page."""
    return _url("submitter", id=username)


def browse_url(view: str, key: str) -> str:
    """The Browse page on one day (`view="day"`, key YYYY-MM-DD), week (YYYY-Www) or month (YYYY-MM)."""
    return _url("browse", view=view, **{{"day": "date"}.get(view, view): key})


def anchor(href: str, text: str, css_class: str | None = None) -> str:
    """An HTML `<a href>` with the text escaped (for st.html and st.markdown with HTML)."""
    klass = f' class="{escape(css_class)}"' if css_class else ""
    return f'<a href="{escape(href)}" target="_self"{klass}>{escape(text)}</a>'
