"""The Weekly digest page: the newest digest of $PAPERS_HOME/digests/, other weeks by ?week=,
the feed and HTML to download, and what to do when there is no digest yet."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from digest.weeks import Week
from digest.write import write_digest
from papers_settings import Settings
from tests.dashboard.apptest_helpers import markdown, open_page
from tests.digest.hand_week import WEEK, hand_week_warehouse


@pytest.fixture
def digests(papers_home):
    """Digests of two weeks of the hand-made warehouse in this PAPERS_HOME."""
    warehouse = hand_week_warehouse()
    folder = Settings.from_env().warehouse.digests_dir
    try:
        for start in (date(2024, 1, 1), WEEK):
            write_digest(warehouse.con, Week(start), folder, datetime(2024, 2, 1, tzinfo=UTC))
    finally:
        warehouse.con.close()
    return folder


def test_the_newest_digest_is_shown_with_the_feed_to_download(digests):
    at = open_page("digest")
    text = markdown(at)
    assert "week 2024-W02" in at.subheader[0].value and "[Paper a2](https://huggingface.co/papers/a2)" in text
    assert at.selectbox(key="digest_week").value == WEEK
    assert any((digests / "feed.xml").as_uri() in c.value for c in at.caption)
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels == ["HTML page", "Atom feed"]


def test_an_older_week_is_shown_by_its_url(digests):
    at = open_page("digest", week="2024-01-01")
    assert "week 2024-W01" in at.subheader[0].value
    assert "Paper b1" in markdown(at)


def test_choosing_a_week_puts_it_in_the_url(digests):
    at = open_page("digest")
    at.selectbox(key="digest_week").set_value(date(2024, 1, 1)).run()
    assert at.query_params["week"] == "2024-01-01"
    assert "week 2024-W01" in at.subheader[0].value


def test_no_digest_yet_says_how_to_write_one(papers_home):
    from tests.digest.hand_week import hand_week_file

    hand_week_file(papers_home / "warehouse.duckdb")
    at = open_page("digest")
    assert any("weekly_digest" in i.value for i in at.info)
    assert at.code[0].value == "papers digest --week 2024-01-15"  # the newest listing day's week


def test_the_digest_headings_sit_below_the_page_title():
    from dashboard.screens.digest import framed

    title, body = framed("# Digest, week 1\n\n## Papers\n1. [a](b)\n### Deeper\n")
    assert (title, body) == ("Digest, week 1", "\n#### Papers\n1. [a](b)\n##### Deeper\n")
