"""The dashboard in a real headless browser: `streamlit run` on a seeded warehouse, Debian chromium
driven by Playwright (no browser download). Screenshots of every page go to
test-artifacts/screenshots/ for a person to look at."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import duckdb
import pytest
from playwright.sync_api import expect

from dashboard.nav import HIDDEN, PAGES
from tests.e2e.dashboard_server import start_dashboard

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

REPO_ROOT = Path(__file__).resolve().parents[2]
SHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
MAIN = '[data-testid="stMainBlockContainer"]'
IDLE = """() => document.querySelector('[data-testid="stMainBlockContainer"] h1') !== null
             && !document.querySelector('[data-testid="stStatusWidget"]')
             && !document.querySelector('[data-testid="stSkeleton"]')"""


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory, chromium):
    """A `streamlit run dashboard/app.py` server over a seeded warehouse; yields (base_url, db path)."""
    with start_dashboard(tmp_path_factory.mktemp("papers_home")) as served:
        yield served


@pytest.fixture(scope="module")
def page(browser, dashboard):
    """One browser page at a desktop size."""
    tab = browser.new_page(viewport={"width": 1440, "height": 1000})
    tab.set_default_timeout(60_000)
    yield tab
    tab.close()


def visit(page, url: str) -> None:
    """Open `url` and wait until the app has finished running."""
    page.goto(url)
    settle(page)


def settle(page) -> None:
    """Wait until no script run is in progress (no 'Running...' status, no skeleton)."""
    page.wait_for_function(IDLE)
    # A widget change reruns the script after a short debounce: wait for idle twice in a row.
    page.wait_for_timeout(300)
    page.wait_for_function(IDLE)


def open_page(page, base: str, name: str, query: str = "") -> None:
    """Open the dashboard page `name` as a person would: a click on its menu link when the menu
    lists it and no query is wanted (the app changes page without loading the document again),
    else its URL. Waits until its heading shows and the app has finished running."""
    _, title, _, url_path = PAGES[name]
    if query or name in HIDDEN or not page.url.startswith(base):
        visit(page, f"{base}/{'' if name == 'overview' else url_path}{query}")
        return
    menu = page.locator('[data-testid="stSidebarNav"]')
    link = menu.get_by_role("link", name=title, exact=True)
    if link.count() == 0:  # Streamlit lists a long menu's first pages, then "View N more"
        menu.get_by_role("button", name=re.compile(r"^View \d+ more$")).click()
    link.click()
    page.wait_for_function("p => location.pathname === p", arg=f"/{url_path}")
    # the previous page stays drawn until the new one's first element arrives
    page.wait_for_function(f"t => document.querySelector('{MAIN} h1')?.innerText.startsWith(t)", arg=title)
    settle(page)


def data_rows(page, index: int = 0):
    """The data rows of a dataframe's accessible table (the canvas itself has no text)."""
    return page.locator('[data-testid="stDataFrame"]').nth(index).locator('[role="row"]:has([role="gridcell"])')


def grid_rows(page, count: int, index: int = 0) -> list[list[str]]:
    """Wait until the dataframe shows `count` rows, then return their cell texts."""
    rows = data_rows(page, index)
    expect(rows).to_have_count(count)
    return [row.locator('[role="gridcell"]').all_inner_texts() for row in rows.all()]


def test_every_page_renders_without_error(page, dashboard):
    base, _ = dashboard
    SHOTS.mkdir(parents=True, exist_ok=True)
    query = {
        "paper": "?id=2501.00001",
        "search": "?q=reasoning",
        "authors": "?key=a-ann",
        "papers": "?from=2024-12-01&to=2025-01-31",
    }
    for name in PAGES:
        open_page(page, base, name, query.get(name, ""))
        assert page.locator('[data-testid="stException"]').count() == 0, name
        assert page.get_by_text("Page not found").count() == 0, name
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_filter_change_matches_sql(page, dashboard):
    base, db = dashboard
    visit(page, f"{base}/papers?from=2024-12-01&to=2025-01-31")
    grid_rows(page, 5)
    page.get_by_text("Has GitHub").click()
    settle(page)
    with duckdb.connect(str(db), read_only=True) as con:
        expected = con.execute(
            "SELECT count(*) FROM papers WHERE github_repo IS NOT NULL AND listing_date BETWEEN '2024-12-01' AND '2025-01-31'"
        ).fetchall()[0][0]
    assert expected == 2  # 2501.00001 and 2501.00003 link a repository
    # The title column comes first: a link to the paper, whose accessible text is its URL (the title
    # quoted after '#').
    titles = [unquote(row[0].split("#", 1)[1]) for row in grid_rows(page, expected)]
    assert titles == ["Reasoning with Reinforcement", "Chain of Thought at Scale"]
    assert page.get_by_text(f"{expected} papers match").count() == 1
    assert "gh=1" in page.url
    page.screenshot(path=str(SHOTS / "papers_filtered.png"), full_page=True)


def test_open_a_paper_from_search(page, dashboard):
    base, _ = dashboard
    visit(page, f"{base}/search?q=diffusion")
    page.get_by_role("link", name="Fast Diffusion Samplers").click()
    page.wait_for_url("**/paper?id=2501.00002")
    settle(page)
    assert page.locator("h1").first.inner_text() == "Fast Diffusion Samplers"
    assert page.get_by_role("link", name="arXiv").get_attribute("href") == "https://arxiv.org/abs/2501.00002"
    page.screenshot(path=str(SHOTS / "paper_opened.png"), full_page=True)


def test_sql_console_runs_a_query_and_refuses_a_write(page, dashboard):
    base, _ = dashboard
    visit(page, f"{base}/sql")
    editor = page.locator('[data-testid="stTextArea"] textarea')
    editor.fill("SELECT organization, count(*) AS papers FROM papers WHERE organization IS NOT NULL GROUP BY ALL ORDER BY 1")
    page.get_by_role("button", name="Run query").click()
    settle(page)
    # deepseek-ai claimed two seeded papers, google one.
    assert grid_rows(page, 2) == [["deepseek-ai", "2"], ["google", "1"]]
    page.screenshot(path=str(SHOTS / "sql_result.png"), full_page=True)
    editor.fill("DELETE FROM papers")
    page.get_by_role("button", name="Run query").click()
    settle(page)
    # The refusal is drawn by the run the click starts; Streamlit shows no status for a run's
    # first half second, so wait for the text rather than read it once.
    expect(page.get_by_text("DELETE is not allowed")).to_have_count(1)
