"""The dashboard's pages: file, title, icon and URL of each, in menu order and sections."""

from __future__ import annotations

from pathlib import Path

DASHBOARD_DIR = Path(__file__).parent

# name -> (file relative to app.py, title, icon, url_path)
PAGES: dict[str, tuple[str, str, str, str]] = {
    "overview": ("screens/overview.py", "Overview", ":material/monitoring:", "overview"),
    "browse": ("screens/browse.py", "Browse", ":material/calendar_view_day:", "browse"),
    "trending": ("screens/trending.py", "Trending", ":material/local_fire_department:", "trending"),
    "papers": ("screens/papers.py", "Papers", ":material/article:", "papers"),
    "paper": ("screens/paper_detail.py", "Paper detail", ":material/description:", "paper"),
    "search": ("screens/search.py", "Search", ":material/search:", "search"),
    "authors": ("screens/authors.py", "Authors", ":material/person:", "authors"),
    "organizations": ("screens/organizations.py", "Organisations", ":material/corporate_fare:", "organizations"),
    "submitters": ("screens/submitters.py", "Submitters", ":material/upload:", "submitters"),
    "author": ("screens/author.py", "Author", ":material/person:", "author"),
    "organization": ("screens/organization.py", "Organisation", ":material/corporate_fare:", "organization"),
    "submitter": ("screens/submitter.py", "Submitter", ":material/upload:", "submitter"),
    "trends": ("screens/trends.py", "Trends", ":material/trending_up:", "trends"),
    "digest": ("screens/digest.py", "Weekly digest", ":material/newspaper:", "digest"),
    "sql": ("screens/sql_console.py", "SQL console", ":material/terminal:", "sql"),
    "health": ("screens/data_health.py", "Data health", ":material/health_and_safety:", "health"),
}

SECTIONS: dict[str, list[str]] = {
    "Explore": ["overview", "browse", "trending", "papers", "paper", "search"],
    "People": ["authors", "organizations", "submitters", "author", "organization", "submitter"],
    "Analyse": ["trends", "digest", "sql"],
    "Operate": ["health"],
}

# Pages reached by a link or URL (one entity each), not listed in the menu.
HIDDEN = {"author", "organization", "submitter"}


def page_file(name: str) -> str:
    """The file of page `name`, relative to app.py (what `st.page_link` and `st.Page` take)."""
    return PAGES[name][0]
