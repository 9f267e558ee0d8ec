"""Browse, Trending, Overview and Data health in real Chromium (Debian chromium + Playwright):
URLs typed in, day steps with the browser's back and forward buttons, card links followed.
Screenshots at desktop and phone size go to test-artifacts/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_dashboard_browser import SHOTS, dashboard, settle, visit  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def wait_for_cards(page, titles: list[str]) -> None:
    """Wait until the cards shown are exactly `titles`, in order. The page's heading renders
    before its cards, so a single read right after `visit` can see none (it did, under load)."""
    page.wait_for_function(
        "t => JSON.stringify([...document.querySelectorAll('.pc-title a')].map(a => a.textContent)) === JSON.stringify(t)",
        arg=titles,
    )


def test_overview_opens_by_its_url(page, dashboard):  # noqa: F811
    base, _ = dashboard
    visit(page, f"{base}/overview")
    assert page.locator("h1").first.inner_text() == "Overview"
    expect(page.locator(".pl-title a")).to_have_count(5)  # the seeded papers of the 30 days
    first_title = page.locator(".pl-title a").first.inner_text()
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_role("link", name="Overview").count() >= 1
    # The top papers are links: one click opens the paper in the same tab, back returns.
    first = page.locator(".pl-title a").first
    href = first.get_attribute("href")
    assert href is not None and href.startswith("/paper?id=")
    first.click()
    page.wait_for_url(f"**{href}")
    settle(page)
    assert page.locator("h1").first.inner_text() == first_title
    page.go_back()
    page.wait_for_url("**/overview")


def test_step_a_day_back_and_forward_with_the_browser_buttons(page, dashboard):  # noqa: F811
    base, _ = dashboard
    visit(page, f"{base}/browse?view=day&date=2025-01-07")
    wait_for_cards(page, ["Chain of Thought at Scale"])
    page.get_by_role("button", name="Previous day").click()
    page.wait_for_url("**/browse?view=day&date=2025-01-06")
    wait_for_cards(page, ["Reasoning with Reinforcement", "Fast Diffusion Samplers"])
    page.screenshot(path=str(SHOTS / "browse_day.png"), full_page=True)
    page.go_back()
    page.wait_for_url("**/browse?view=day&date=2025-01-07")
    wait_for_cards(page, ["Chain of Thought at Scale"])
    page.go_forward()
    page.wait_for_url("**/browse?view=day&date=2025-01-06")
    wait_for_cards(page, ["Reasoning with Reinforcement", "Fast Diffusion Samplers"])
    page.get_by_role("button", name="Next day").click()
    page.wait_for_url("**/browse?view=day&date=2025-01-07")
    wait_for_cards(page, ["Chain of Thought at Scale"])


def test_week_and_month_views(page, dashboard):  # noqa: F811
    base, _ = dashboard
    visit(page, f"{base}/browse?view=week&week=2025-W02")
    wait_for_cards(page, ["Reasoning with Reinforcement", "Chain of Thought at Scale", "Fast Diffusion Samplers"])
    page.locator('[data-testid="stButtonGroup"]').get_by_text("Month", exact=True).click()
    page.wait_for_url("**/browse?view=month&month=2025-01")
    wait_for_cards(
        page, ["Reasoning with Reinforcement", "Chain of Thought at Scale", "Fast Diffusion Samplers", "A Small Benchmark"]
    )
    page.screenshot(path=str(SHOTS / "browse_month.png"), full_page=True)


def test_a_card_title_opens_the_paper_page(page, dashboard):  # noqa: F811
    base, _ = dashboard
    visit(page, f"{base}/browse?view=day&date=2025-01-06")
    link = page.locator(".pc-title a", has_text="Reasoning with Reinforcement")
    assert link.get_attribute("href") == "/paper?id=2501.00001"
    link.click()
    page.wait_for_url("**/paper?id=2501.00001")
    settle(page)
    assert page.locator("h1").first.inner_text() == "Reasoning with Reinforcement"


def test_trending(page, dashboard):  # noqa: F811
    base, _ = dashboard
    visit(page, f"{base}/trending?days=14")
    wait_for_cards(
        page, ["A Small Benchmark", "Reasoning with Reinforcement", "Chain of Thought at Scale", "Fast Diffusion Samplers"]
    )
    page.locator('[data-testid="stButtonGroup"]').get_by_text("Upvotes", exact=True).click()
    page.wait_for_url("**/trending?days=14&sort=upvotes")
    wait_for_cards(
        page, ["Reasoning with Reinforcement", "Chain of Thought at Scale", "Fast Diffusion Samplers", "A Small Benchmark"]
    )


def test_data_health_heatmap_and_whole_figures(page, dashboard):  # noqa: F811
    base, _ = dashboard
    visit(page, f"{base}/health")
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.locator("canvas, svg").first.wait_for()
    box = chart.bounding_box()
    assert box["width"] > 600 and box["height"] > 150
    # Every tile's figure fits its tile (the old tiles cut "05 Dec …" off).
    values = page.locator('[data-testid="stMetricValue"]')
    expect(values).to_have_count(5)
    for i in range(values.count()):
        cut = values.nth(i).evaluate("e => [...e.querySelectorAll('*')].concat([e]).some(x => x.scrollWidth > x.clientWidth + 1)")
        assert not cut, values.nth(i).inner_text()
    expect(page.get_by_text("2025-01-14 12:00 UTC").first).to_be_visible()


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["desktop", "phone"])
def test_screenshots_of_my_pages(page, dashboard, size):  # noqa: F811
    base, _ = dashboard
    tab = page
    tab.set_viewport_size({"width": size[0], "height": size[1]})
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in {
        "overview": "/overview",
        "browse": "/browse",
        "trending": "/trending?days=14",
        "papers": "/papers?from=2024-12-01&to=2025-01-31",
        "trends": "/trends",
        "health": "/health",
    }.items():
        visit(tab, base + path)
        assert tab.locator('[data-testid="stException"]').count() == 0, name
        tab.screenshot(path=str(SHOTS / f"{name}-{size[0]}.png"), full_page=True)
