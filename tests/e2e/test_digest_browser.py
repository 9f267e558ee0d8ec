"""The weekly digest in real Chromium: the HTML page at phone and desktop width (self-contained,
no horizontal scrolling, the chart drawn) and the dashboard's Weekly digest page.
Screenshots go to test-artifacts/screenshots/digest-*.png for a person to look at."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import expect

from digest.weeks import Week
from digest.write import write_digest
from tests.e2e.dashboard_server import start_dashboard
from tests.e2e.test_dashboard_browser import SHOTS, visit

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

WEEK = Week(date(2025, 1, 6))  # the seeded warehouse's busiest week
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}


def _write_digests(db: Path) -> None:
    with duckdb.connect(str(db), read_only=True) as con:
        for week in (WEEK.previous, WEEK):
            write_digest(con, week, db.parent / "digests", datetime(2025, 2, 1, tzinfo=UTC))


@pytest.fixture(scope="module")
def served(tmp_path_factory, chromium):
    """The dashboard over the seeded warehouse, with digests of two of its weeks."""
    with start_dashboard(tmp_path_factory.mktemp("papers_home"), prepare=_write_digests) as (base, db):
        yield base, db.parent / "digests"


@pytest.mark.parametrize("size", list(SIZES))
def test_the_html_digest_reads_on_a_phone_and_a_desktop(page, served, size):
    _, folder = served
    page.set_viewport_size(SIZES[size])
    requested: list[str] = []

    def note(request) -> None:
        requested.append(request.url)

    page.on("request", note)
    try:
        page.goto((folder / f"{WEEK.start}.html").as_uri())
        expect(page.locator("h1")).to_contain_text("week 2025-W02")
        assert page.locator("script").count() == 0
        assert page.locator("ol.papers li").count() == 3  # the seeded week's papers
        assert page.locator("svg rect").count() == 7
        bar = page.locator("svg rect").first.bounding_box()
        assert bar is not None and bar["height"] > 0 and bar["width"] > 0  # Monday had papers
        # Readable without sideways scrolling, and nothing fetched but the page itself.
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert [url for url in requested if not url.startswith("file://")] == []
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"digest-html-{size}.png"), full_page=True)
    finally:
        page.remove_listener("request", note)


def test_the_dashboard_shows_the_newest_digest_and_the_feed(page, served):
    base, _ = served
    page.set_viewport_size(SIZES["desktop"])
    visit(page, f"{base}/digest")
    main = page.locator('[data-testid="stMainBlockContainer"]')
    expect(main).to_contain_text("Daily Papers digest, week 2025-W02")
    expect(main.get_by_role("link", name="Reasoning with Reinforcement").first).to_have_attribute(
        "href", "https://huggingface.co/papers/2501.00001"
    )
    expect(page.get_by_role("button", name="Atom feed")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Atom feed").click()
    assert download.value.suggested_filename == "feed.xml"
    assert b"<feed" in Path(download.value.path()).read_bytes()
    page.screenshot(path=str(SHOTS / "digest-page-desktop.png"), full_page=True)
    page.set_viewport_size(SIZES["phone"])
    visit(page, f"{base}/digest?week={WEEK.previous.start}")
    expect(main).to_contain_text("week 2025-W01")
    page.screenshot(path=str(SHOTS / "digest-page-phone.png"), full_page=True)
