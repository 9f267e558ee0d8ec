"""The dashboard's pages: file, title, icon and URL of each, in menu order and sections."""

from __future__ import annotations

from pathlib import Path

DASHBOARD_DIR = Path(__file__).parent

# name -> (file relative to app.py, title, icon, url_path)
PAGES: dict[str, tuple[str, str, str, str]] = {
    "overview": ("pages/overview.py", "Overview", ":material/monitoring:", "overview"),
    "papers": ("pages/papers.py", "Papers", ":material/article:", "papers"),
    "paper": ("pages/paper_detail.py", "Paper detail", ":material/description:", "paper"),
    "search": ("pages/search.py", "Search", ":material/search:", "search"),
    "authors": ("pages/authors.py", "Authors", ":material/person:", "authors"),
    "organizations": ("pages/organizations.py", "Organisations", ":material/corporate_fare:", "organizations"),
    "submitters": ("pages/submitters.py", "Submitters", ":material/upload:", "submitters"),
    "trends": ("pages/trends.py", "Trends", ":material/trending_up:", "trends"),
    "sql": ("pages/sql_console.py", "SQL console", ":material/terminal:", "sql"),
    "health": ("pages/data_health.py", "Data health", ":material/health_and_safety:", "health"),
}

SECTIONS: dict[str, list[str]] = {
    "Explore": ["overview", "papers", "paper", "search"],
    "People": ["authors", "organizations", "submitters"],
    "Analyse": ["trends", "sql"],
    "Operate": ["health"],
}


def page_file(name: str) -> str:
    """The file of page `name`, relative to app.py (what `st.page_link` and `st.Page` take)."""
    return PAGES[name][0]
