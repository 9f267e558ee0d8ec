"""Entity URLs and links in a real browser: `streamlit run` on the seeded warehouse plus an old
paper (tests/dashboard/entity_seed.py), Debian chromium driven by Playwright. Screenshots of the
entity pages at 1440x900 and at a phone's 390x844 go to test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout, expect

from dashboard.links import labelled_url
from tests.dashboard.entity_seed import OLD_PAPER, OLD_TITLE, add_old_paper, add_prolific_author
from tests.e2e.dashboard_server import start_dashboard
from tests.e2e.test_dashboard_browser import SHOTS, data_rows, grid_rows, settle, visit  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

SIZES = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
ENTITY_URLS = {
    "paper": f"paper?id={OLD_PAPER}",
    "paper_with_history": "paper?id=2501.00001",
    "author": "author?id=a-ann",
    "author_paged": "author?id=a-pia&page=2",
    "organization": "organization?id=deepseek-ai",
    "submitter": "submitter?id=akhaliq",
    "authors": "authors?find=li",
}


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory, chromium):
    """The dashboard over the seeded warehouse with the old paper and a prolific author; yields its base URL."""
    with start_dashboard(
        tmp_path_factory.mktemp("papers_home"), prepare=lambda path: add_prolific_author(add_old_paper(path))
    ) as (base, _):
        yield base


def heading(page) -> str:
    return page.locator('[data-testid="stMainBlockContainer"] h1').first.inner_text()


def follow(page, name: str, url_glob: str, title: str) -> None:
    """Click the in-app link `name`; wait for the URL and for the page of `title`."""
    page.get_by_role("link", name=name).click()
    page.wait_for_url(url_glob)
    settle(page)
    page.wait_for_function("t => document.querySelector('[data-testid=\"stMainBlockContainer\"] h1')?.innerText === t", arg=title)


def test_similar_paper_then_author_then_back_and_forward(page, dashboard):
    visit(page, f"{dashboard}/paper?id=2501.00001")
    assert heading(page) == "Reasoning with Reinforcement"
    # the old paper shares the most words with this one: it is the first similar paper
    follow(page, f"{OLD_TITLE} (7 ↑)", f"**/paper?id={OLD_PAPER}", OLD_TITLE)
    assert page.get_by_role("link", name="arXiv").get_attribute("href") == f"https://arxiv.org/abs/{OLD_PAPER}"
    # an author of a 2024 paper (listed 2024-06-03, older than any default range)
    follow(page, "1. Dana Álvarez", "**/author?id=a-dana", "Dana Álvarez")
    # the grid's accessible text is a cell's URL; the canvas shows the title after its '#'
    assert grid_rows(page, 1)[0][0] == labelled_url("paper", OLD_PAPER, OLD_TITLE)
    assert page.get_by_text("no papers in the selected range").count() == 0
    assert page.get_by_role("link", name="danaal").get_attribute("href") == "https://huggingface.co/danaal"
    page.go_back(wait_until="commit")
    shows(page, f"/paper?id={OLD_PAPER}", OLD_TITLE)
    page.go_back(wait_until="commit")
    shows(page, "/paper?id=2501.00001", "Reasoning with Reinforcement")
    page.go_forward(wait_until="commit")
    shows(page, f"/paper?id={OLD_PAPER}", OLD_TITLE)


def shows(page, path: str, title: str) -> None:
    """Wait until the address ends with `path` and the page of `title` is drawn (after back/forward)."""
    page.wait_for_function("p => location.pathname + location.search === p", arg=path)
    settle(page)
    page.wait_for_function("t => document.querySelector('[data-testid=\"stMainBlockContainer\"] h1')?.innerText === t", arg=title)


def test_organisation_and_submitter_open_by_url(page, dashboard):
    visit(page, f"{dashboard}/organization?id=deepseek-ai")
    assert heading(page) == "DeepSeek"
    # deepseek-ai claimed 2501.00001 (50) and 2501.00004 (5)
    assert [row[0].split("#")[0] for row in grid_rows(page, 2)] == ["/paper?id=2501.00001", "/paper?id=2501.00004"]
    visit(page, f"{dashboard}/submitter?id=akhaliq")
    assert heading(page) == "AK"
    assert [row[0].split("#")[0] for row in grid_rows(page, 2)] == ["/paper?id=2501.00001", "/paper?id=2501.00003"]


def test_find_an_author_by_name(page, dashboard):
    visit(page, f"{dashboard}/authors")
    box = page.get_by_label("Find an author by name")
    box.fill("alvarez")
    box.press("Enter")
    settle(page)
    follow(page, "Dana Álvarez (@danaal) · 1 paper · last listed Jun 2024", "**/author?id=a-dana", "Dana Álvarez")


def wait_until_still(locator, settle_ms: int = 300) -> None:
    """Wait until the element's box stops moving (charts and tables above it draw late)."""
    box = locator.bounding_box()
    for _ in range(40):
        locator.page.wait_for_timeout(settle_ms)
        now = locator.bounding_box()
        if now == box:
            return
        box = now
    raise AssertionError(f"the element kept moving for {40 * settle_ms / 1000:g} s: last box {box}")


def address(page) -> str:
    return page.evaluate("location.pathname + location.search")


def click_first_cell(page, table: int = 0, x: int = 40, on_text: bool = True) -> None:
    """Click the first data cell of the column at `x` px (38 px header, 35 px rows) as a person
    does, once the grid has stopped moving, and wait until this tab's address changes.

    A person's pointer rests on a link before the click and the grid draws it hovered (a hand
    pointer): a click on a link's text then takes another path in the grid than one that lands
    before that drawing (see dashboard.link_table). So with `on_text` the click comes once the
    hand shows; without, the pointer is beside the text (no hand) and the click selects the cell.
    The failure names the address, the tables' first rows and the tabs open, with a screenshot in
    test-artifacts; on success no other tab has opened.
    """
    before = address(page)
    grid = page.locator('[data-testid="stDataFrame"] .dvn-scroller').nth(table)
    grid.scroll_into_view_if_needed()
    wait_until_still(grid)
    grid.hover(position={"x": x, "y": 38 + 17})
    if on_text:  # the hand shows once the grid has drawn the hover
        expect(grid).to_have_css("cursor", "pointer", timeout=30_000)
    else:
        expect(grid).not_to_have_css("cursor", "pointer")
    page.mouse.down()
    page.mouse.up()
    try:
        page.wait_for_function("p => location.pathname + location.search !== p", arg=before)
    except PlaywrightTimeout:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / "click_first_cell_not_followed.png")
        count = page.locator('[data-testid="stDataFrame"]').count()
        tables = [data_rows(page, index).first.locator('[role="gridcell"]').all_inner_texts() for index in range(count)]
        tabs = [tab.url for tab in page.context.pages]
        raise AssertionError(
            f"a click on table {table} at x={x} did not leave {before}; first rows: {tables}; tabs open: {tabs}"
        ) from None
    assert page.context.pages == [page], [tab.url for tab in page.context.pages]


def test_one_click_on_a_table_name_opens_it_and_back_returns(page, dashboard):
    visit(page, f"{dashboard}/author?id=a-dana")
    assert grid_rows(page, 1)[0][0] == labelled_url("paper", OLD_PAPER, OLD_TITLE)
    click_first_cell(page)
    shows(page, f"/paper?id={OLD_PAPER}", OLD_TITLE)
    page.go_back(wait_until="commit")
    shows(page, "/author?id=a-dana", "Dana Álvarez")
    # the co-authors table: Ann Li, Dana's one co-author; then back to Dana with nothing re-opened
    assert grid_rows(page, 1, index=1)[0][0] == labelled_url("author", "a-ann", "Ann Li")
    click_first_cell(page, table=1)
    shows(page, "/author?id=a-ann", "Ann Li")
    page.go_back(wait_until="commit")
    shows(page, "/author?id=a-dana", "Dana Álvarez")
    page.wait_for_timeout(1500)
    assert address(page) == "/author?id=a-dana"
    # beside the name's text the click selects the cell: that opens Ann Li too
    click_first_cell(page, table=1, x=150, on_text=False)
    shows(page, "/author?id=a-ann", "Ann Li")


def test_a_ctrl_click_on_a_table_name_opens_it_in_a_new_tab(page, dashboard):
    visit(page, f"{dashboard}/author?id=a-dana")
    grid = page.locator('[data-testid="stDataFrame"] .dvn-scroller').nth(1)
    wait_until_still(grid)
    grid.hover(position={"x": 40, "y": 38 + 17})
    expect(grid).to_have_css("cursor", "pointer", timeout=30_000)
    with page.context.expect_page() as opened:
        grid.click(position={"x": 40, "y": 38 + 17}, modifiers=["ControlOrMeta"])
    opened.value.wait_for_url(re.compile(r"/author\?id=a-ann#Ann%20Li$"))
    opened.value.close()
    page.wait_for_timeout(1000)
    assert address(page) == "/author?id=a-dana"


def test_a_papers_title_opens_the_paper_here_and_back_keeps_the_filters(page, dashboard):
    papers = "/papers?from=2024-12-01&to=2025-01-31&min=25"
    visit(page, f"{dashboard}{papers}")
    # the window's papers of 25 upvotes or more, the most upvoted first: 2501.00001 (50), 2501.00003 (30)
    assert grid_rows(page, 2)[0][0] == labelled_url("paper", "2501.00001", "Reasoning with Reinforcement")
    click_first_cell(page)
    shows(page, "/paper?id=2501.00001", "Reasoning with Reinforcement")
    page.go_back(wait_until="commit")
    shows(page, papers, "Papers")
    page.wait_for_timeout(1500)  # nothing re-opens the paper
    assert address(page) == papers


def test_a_leaderboard_name_opens_the_entity(page, dashboard):
    visit(page, f"{dashboard}/organizations?from=2025-01-01&to=2025-01-14")
    page.locator('[data-testid="stDataFrame"] .dvn-scroller').first.click(position={"x": 40, "y": 38 + 17})
    page.wait_for_timeout(1000)  # the '#' column: selecting it opens nothing
    assert "/organizations" in page.url
    click_first_cell(page, x=120)
    shows(page, "/organization?id=deepseek-ai", "DeepSeek")


def first_cell(page, table: int = 0) -> str:
    return data_rows(page, table).first.locator('[role="gridcell"]').first.inner_text()


def shows_first(page, text: str, table: int = 0) -> None:
    """Wait until the table's first cell holds `text` (the grid repaints after the run ends)."""
    expect(data_rows(page, table).first.locator('[role="gridcell"]').first).to_have_text(text)


def test_a_prolific_authors_papers_come_a_page_at_a_time_and_the_url_keeps_the_page(page, dashboard):
    visit(page, f"{dashboard}/author?id=a-pia")
    assert heading(page) == "Pia Park"
    # 55 papers, paper i with i upvotes: page 1 is 55 .. 6, page 2 is 5 .. 1
    assert first_cell(page) == labelled_url("paper", "2306.00055", "Prolific study 55")
    expect(page.get_by_text("1–50 of 55", exact=True).first).to_be_visible()
    next_buttons = page.get_by_role("button", name=re.compile(r"\bNext$"))
    next_buttons.first.click()  # the papers' pager comes first
    page.wait_for_function("() => new URLSearchParams(location.search).get('page') === '2'")
    settle(page)
    assert [row[0] for row in grid_rows(page, 5)][0] == labelled_url("paper", "2306.00005", "Prolific study 5")
    assert "id=a-pia" in page.url
    expect(page.get_by_text("51–55 of 55", exact=True)).to_be_visible()
    # a reload (or a shared link) shows the same page
    page.reload()
    settle(page)
    shows_first(page, labelled_url("paper", "2306.00005", "Prolific study 5"))
    # the co-authors have their own pages: Co 55 .. Co 6, then Co 5 .. Co 1
    assert first_cell(page, table=1) == labelled_url("author", "a-co55", "Co 55")
    next_buttons.last.click()  # the co-authors' pager
    page.wait_for_function("() => new URLSearchParams(location.search).get('people_page') === '2'")
    settle(page)
    shows_first(page, labelled_url("author", "a-co5", "Co 5"), table=1)
    assert new_params(page) == {"id": "a-pia", "page": "2", "people_page": "2"}


def new_params(page) -> dict[str, str]:
    return page.evaluate("() => Object.fromEntries(new URLSearchParams(location.search))")


@pytest.mark.parametrize("size", SIZES)
def test_entity_page_screenshots(page, dashboard, size):
    """What the window shows (<page>_<size>.png), and the whole page (<page>_<size>_full.png)."""
    tab = page
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in ENTITY_URLS.items():
        tab.set_viewport_size(SIZES[size])
        visit(tab, f"{dashboard}/{path}")
        for grid in tab.locator('[data-testid="stDataFrame"]').all():
            expect(grid.locator('[role="row"]').first).to_be_attached()
        tab.wait_for_timeout(800)  # charts and grids paint after the run ends
        assert tab.locator('[data-testid="stException"]').count() == 0, name
        tab.screenshot(path=str(SHOTS / f"entity_{name}_{size}.png"))
        height = tab.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        tab.set_viewport_size({"width": SIZES[size]["width"], "height": max(height, SIZES[size]["height"])})
        tab.wait_for_timeout(800)
        tab.screenshot(path=str(SHOTS / f"entity_{name}_{size}_full.png"))
