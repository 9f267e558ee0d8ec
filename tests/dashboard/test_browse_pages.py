"""Browse, Trending, Data health and the Overview's own URL, run through app.py with AppTest on the
seeded warehouse (tests/dashboard/seed.py)."""

from __future__ import annotations

import re

import pytest

from dashboard.nav import page_file
from tests.dashboard.apptest_helpers import markdown, metrics, open_page

pytestmark = pytest.mark.usefixtures("warehouse_path")


def card_ids(at) -> list[str]:
    """Paper ids of the cards shown, in order (from their /paper?id= links)."""
    return re.findall(r'<div class="pc-title"><a href="/paper\?id=([^"&]+)"', "".join(h.proto.body for h in at.get("html")))


def test_the_overview_page_has_its_own_page_besides_the_root():
    at = open_page("overview")  # the root URL
    at.switch_page(page_file("overview")).run()  # the page /overview serves
    assert not at.exception
    assert at.title[0].value == "Overview"


def test_browse_opens_on_the_newest_listing_day():
    at = open_page("browse")
    # Newest day 2025-01-14 holds only 2501.00004.
    assert card_ids(at) == ["2501.00004"]
    assert "Tuesday 14 January 2025" in [s.value for s in at.subheader]


def test_a_day_from_the_url_and_its_previous_day_button():
    at = open_page("browse", view="day", date="2025-01-07")
    assert card_ids(at) == ["2501.00003"]
    at.button(key="browse_prev").click().run()
    # 2025-01-06, the previous day with papers: 2501.00001 (50) then 2501.00002 (10).
    assert (at.query_params["view"], at.query_params["date"]) == ("day", "2025-01-06")
    assert card_ids(at) == ["2501.00001", "2501.00002"]
    at.button(key="browse_next").click().run()
    assert at.query_params["date"] == "2025-01-07" and card_ids(at) == ["2501.00003"]


def test_a_week_and_a_month_are_ranked_by_upvotes():
    week = open_page("browse", view="week", week="2025-W02")
    assert card_ids(week) == ["2501.00001", "2501.00003", "2501.00002"]
    assert "**3 papers** over 2 listing days · 90 upvotes" in markdown(week)
    month = open_page("browse", view="month", month="2025-01")
    assert card_ids(month) == ["2501.00001", "2501.00003", "2501.00002", "2501.00004"]
    month.button(key="browse_prev").click().run()
    assert month.query_params["month"] == "2024-12" and card_ids(month) == ["2412.00005"]


def test_switching_the_view_keeps_the_period_of_the_day_shown():
    at = open_page("browse", view="day", date="2025-01-07")
    at.segmented_control(key="browse_view").set_value("week").run()
    assert (at.query_params["view"], at.query_params["week"]) == ("week", "2025-W02")
    assert card_ids(at) == ["2501.00001", "2501.00003", "2501.00002"]


def test_a_day_without_papers_says_so_and_a_bad_key_falls_back_to_the_newest():
    empty = open_page("browse", view="day", date="2025-01-10")
    assert card_ids(empty) == [] and any("No papers were listed" in i.value for i in empty.info)
    bad = open_page("browse", view="week", week="2025-W99")
    assert card_ids(bad) == ["2501.00004"]  # the week of the newest day, 2025-01-13..19


def test_cards_link_organisations_authors_and_submitters_to_their_pages():
    html = "".join(h.proto.body for h in open_page("browse", view="day", date="2025-01-06").get("html"))
    for href in ("/paper?id=2501.00001", "/organization?id=deepseek-ai", "/author?id=a-ann", "/submitter?id=akhaliq"):
        assert f'href="{href}"' in html


def test_trending_window_and_order_come_from_the_url():
    assert card_ids(open_page("trending")) == ["2501.00004"]  # 7 days up to 2025-01-14
    hot = open_page("trending", days="14")
    assert card_ids(hot) == ["2501.00004", "2501.00001", "2501.00003", "2501.00002"]
    by_upvotes = open_page("trending", days="14", sort="upvotes")
    assert card_ids(by_upvotes) == ["2501.00001", "2501.00003", "2501.00002", "2501.00004"]
    by_upvotes.segmented_control(key="trending_days").set_value(30).run()
    assert by_upvotes.query_params["days"] == "30" and by_upvotes.query_params["sort"] == "upvotes"
    assert card_ids(by_upvotes)[-1] == "2501.00004"  # 2412.00005 (20 upvotes) joined, above it


def test_data_health_tiles_calendar_and_run_links(monkeypatch):
    monkeypatch.setenv("DAGSTER_UI_URL", "http://127.0.0.1:3999")
    at = open_page("health")
    shown = metrics(at)
    assert shown["Last publish"][0] == "2025-01-14 12:00 UTC"  # whole, in its own wide tile
    assert at.link_button[0].proto.url == "http://127.0.0.1:3999"
    publishes = at.dataframe[3].value
    assert publishes["run"].tolist() == ["http://127.0.0.1:3999/runs/run-1"]
    [chart] = at.get("vega_lite_chart")  # the calendar
    assert '"status"' in chart.proto.spec and '"vconcat"' in chart.proto.spec


def test_the_papers_table_opens_a_paper_in_one_click_and_shows_no_none():
    table = open_page("papers", **{"from": "2024-12-01", "to": "2025-01-31"}).dataframe[0].value
    # The title column is a link to the paper's page (the fragment is the title it displays, quoted).
    assert table["open"].tolist()[0] == "/paper?id=2501.00001#Reasoning%20with%20Reinforcement"
    # 2501.00001 has three vote observations (40 a day); the others one, so no rate: a dash.
    assert table["upvotes_per_day"].tolist() == ["40.0", "—", "—", "—", "—"]
    assert None not in table["github_repo"].tolist() and None not in table["organization"].tolist()
