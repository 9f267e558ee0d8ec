"""write_digest on the hand-made week: the files, the feed (Atom rules, feedparser), the HTML."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import feedparser
import pytest

from digest.feed import atom_feed
from digest.files import DigestFiles, OutputError
from digest.render import markdown_text
from digest.weeks import Week
from digest.write import write_digest
from tests.digest.atom_rules import atom_problems
from tests.digest.hand_week import WEEK, hand_week_warehouse

NOW = datetime(2024, 2, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    warehouse = hand_week_warehouse()
    folder = tmp_path_factory.mktemp("digests")
    try:
        yield write_digest(warehouse.con, Week(WEEK), folder, NOW)
    finally:
        warehouse.con.close()


def test_the_week_gets_markdown_html_and_the_feed(written):
    assert sorted(p.name for p in written.markdown.parent.iterdir()) == ["2024-01-08.html", "2024-01-08.md", "feed.xml"]
    assert DigestFiles(written.markdown.parent).latest() == WEEK


def test_the_feed_keeps_the_atom_rules(written):
    assert atom_problems(written.feed.read_bytes()) == []


def test_the_feed_holds_the_two_newest_weeks_most_upvoted_first(written):
    parsed = feedparser.parse(written.feed.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    # the newest week (of c1, 2024-01-15) and the one before; the ranking of paper_cards_between
    assert [e.id for e in parsed.entries] == [f"https://huggingface.co/papers/{p}" for p in ("c1", "a2", "a1", "a4", "a3")]
    a1 = parsed.entries[2]
    assert a1.link == "https://huggingface.co/papers/a1"
    assert a1.title == "Paper a1"
    assert [author.name for author in a1.authors] == ["Ann", "Bob", "Cy"]
    assert a1.updated == "2024-01-08T00:00:00+00:00"
    a3 = parsed.entries[4]
    assert (a3.title, a3.summary) == ("[Bracket] *star* <b>bold</b> | pipe", "An abstract.")
    assert parsed.feed.updated == "2024-01-15T00:00:00+00:00"  # the newest entry's, not the clock's


def test_rewriting_the_feed_from_the_same_warehouse_gives_the_same_file(written, tmp_path):
    warehouse = hand_week_warehouse()
    try:
        again = write_digest(warehouse.con, Week(WEEK), tmp_path, datetime(2030, 1, 1, tzinfo=UTC))
    finally:
        warehouse.con.close()
    assert again.feed.read_bytes() == written.feed.read_bytes()


def test_an_empty_feed_is_still_a_valid_feed():
    xml = atom_feed([], [], NOW)
    assert atom_problems(xml) == []
    assert feedparser.parse(xml).feed.updated == "2024-02-01T12:00:00+00:00"


def test_the_html_is_self_contained_and_escapes_titles(written):
    html = written.html.read_text()
    assert "<script" not in html.lower()
    assert "<style>" in html and "<svg" in html and 'name="viewport"' in html
    assert '<link rel="stylesheet"' not in html and "src=" not in html  # nothing fetched from elsewhere
    assert "[Bracket] *star* &lt;b&gt;bold&lt;/b&gt; | pipe" in html
    assert 'href="https://huggingface.co/papers/a2"' in html
    assert html.count("<rect ") == 7  # a bar per day, Monday to Sunday


def test_the_markdown_links_papers_and_escapes_titles(written):
    text = written.markdown.read_text()
    assert "1. [Paper a2](https://huggingface.co/papers/a2) · 50 upvotes" in text
    assert (
        "2. [Paper a1](https://huggingface.co/papers/a1) · 50 upvotes · Org A · Ann, Bob, Cy et al. · [GitHub](<https://github.com/x/a1>)"
        in text
    )
    assert markdown_text("[Bracket] *star* <b>bold</b> | pipe") in text
    assert "| agents | 3 | 0.0 | 3.0 |" in text


def test_markdown_text_escapes_what_markdown_would_read_as_markup():
    assert markdown_text("a [b](c) *d* _e_ | f\nnext") == r"a \[b\]\(c\) \*d\* \_e\_ \| f next"


def test_a_week_without_papers_says_so(tmp_path):
    warehouse = hand_week_warehouse()
    try:
        written = write_digest(warehouse.con, Week(date(2023, 12, 18)), tmp_path, NOW)
    finally:
        warehouse.con.close()
    assert written.papers == 0
    for path in (written.markdown, written.html):
        assert "No papers were listed this week" in path.read_text()
        assert "2024-01-03 to 2024-01-15" in path.read_text()


def test_a_folder_that_cannot_be_written_is_named(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError, match=r"cannot write the digest to .*a-file/digests"):
        DigestFiles(Path(blocker / "digests")).make_writable()
