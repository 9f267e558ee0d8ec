"""Digests of generated weeks (bench/generate.py), loaded through the real asset twice so the
papers have a vote history: the digest ranks, rises and feeds exactly as the warehouse does."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import dagster as dg
import duckdb
import feedparser
import pytest

from bench.generate import DayGenerator, encode, seen_after
from digest.weeks import Week
from digest.write import write_digest
from hf_api.testing.fake_server import FakeHFServer
from tests.digest.atom_rules import atom_problems
from tests.digest.hand_week import linked_ids
from tests.orchestration.test_daily_papers_asset import run_range

FIRST = date(2025, 3, 3)  # a Monday: two whole weeks
DAYS = [FIRST + timedelta(days=n) for n in range(14)]
WEEKS = [Week(FIRST), Week(FIRST + timedelta(days=7))]


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A warehouse of 14 generated days of 12 papers, each day fetched early (a share of its
    votes) and again once the votes settled: two vote observations per paper."""
    root = tmp_path_factory.mktemp("generated")
    served, home = root / "served", root / "home"
    served.mkdir()
    generator = DayGenerator(papers_per_day=12, seed=19)
    with dg.DagsterInstance.ephemeral() as instance:
        for seen in (lambda items: seen_after(items, 0), lambda items: items):
            for day in DAYS:
                (served / f"daily_papers_{day.isoformat()}.json").write_bytes(encode(seen(generator.items(day))))
            with FakeHFServer(served) as server:
                assert run_range(server, home, DAYS[0], DAYS[-1], instance).success
    return home


@pytest.fixture(scope="module")
def con(home):
    connection = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def written(con, tmp_path_factory):
    folder = tmp_path_factory.mktemp("digests")
    return [write_digest(con, week, folder, datetime(2025, 4, 1, tzinfo=UTC)) for week in WEEKS]


def _ranked_ids(markdown: str) -> list[str]:
    section = markdown.split("## Papers, most upvoted first")[1].split("## Fastest risers")[0]
    return [
        line.split("](https://huggingface.co/papers/")[1].split(")")[0] for line in section.splitlines() if "](https://" in line
    ]


@pytest.mark.parametrize("n", [0, 1])
def test_each_week_is_ranked_as_the_warehouse_ranks_it(con, written, n):
    week = WEEKS[n]
    ranking = [row[0] for row in con.execute("SELECT paper_id FROM paper_cards_between(?, ?)", [week.start, week.end]).fetchall()]
    assert len(ranking) == 7 * 12
    assert linked_ids(written[n].markdown.read_text(), "Papers, most upvoted first") == ranking


def test_risers_are_the_fastest_in_the_vote_history(con, written):
    text = written[1].markdown.read_text()
    section = text.split("## Fastest risers")[1].split("## Rising keywords")[0]
    shown = [
        line.split("](https://huggingface.co/papers/")[1].split(")")[0] for line in section.splitlines() if "](https://" in line
    ]
    week = WEEKS[1]
    fastest = con.execute(
        "SELECT paper_id FROM paper_velocity WHERE listing_date BETWEEN ? AND ? AND upvotes_per_day > 0 "
        "ORDER BY upvotes_per_day DESC, latest_upvotes DESC, paper_id LIMIT 5",
        [week.start, week.end],
    ).fetchall()
    assert len(shown) == 5
    assert shown == [row[0] for row in fastest]


def test_the_feed_is_the_two_weeks_most_upvoted_first(con, written):
    xml = written[-1].feed.read_bytes()
    assert atom_problems(xml) == []
    parsed = feedparser.parse(xml)
    expected = con.execute(
        "SELECT paper_id, title, summary, listing_date FROM paper_cards_between(?, ?)", [WEEKS[0].start, WEEKS[1].end]
    ).fetchall()
    assert [(e.id, e.title, e.summary) for e in parsed.entries] == [
        (f"https://huggingface.co/papers/{pid}", title, summary or "") for pid, title, summary, _ in expected
    ]
    assert [e.updated for e in parsed.entries] == [f"{day.isoformat()}T00:00:00+00:00" for *_, day in expected]
    first_authors = con.execute(
        "SELECT [a.name FOR a IN first_authors] FROM paper_cards_between(?, ?)", [WEEKS[0].start, WEEKS[1].end]
    ).fetchall()
    assert [[a.name for a in e.get("authors", [])] for e in parsed.entries] == [names for (names,) in first_authors]
