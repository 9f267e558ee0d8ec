"""`papers digest` (the real command) on the bundled sample as `papers up` publishes it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import feedparser
import pytest

from hf_api.sample_replay import bundled_sample_dates
from tests.digest.atom_rules import atom_problems
from tests.digest.hand_week import linked_ids
from tests.sample_warehouse import REPO_ROOT

PAPERS = Path(sys.executable).parent / "papers"
SAMPLE_WEEKS = ["2024-05-27", "2024-12-23", "2025-01-20", "2025-12-22"]  # the Mondays of the sample's days


@pytest.fixture(scope="module")
def home(tmp_path_factory, sample_home):
    """This module's copy of what `papers up --no-serve` publishes (made once per run, tests/conftest.py)."""
    return Path(shutil.copytree(sample_home, tmp_path_factory.mktemp("sample") / "home"))


def _digest(home: Path, day: str, out: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PAPERS_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    return subprocess.run(
        [str(PAPERS), "digest", "--week", day, "--out", str(out)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_sample_week_is_ranked_as_the_warehouse_ranks_it(home, tmp_path):
    assert len(bundled_sample_dates()) == len(SAMPLE_WEEKS)
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        for day, week in zip(bundled_sample_dates(), SAMPLE_WEEKS, strict=True):
            done = _digest(home, day.isoformat(), tmp_path)
            assert done.returncode == 0, done.stderr
            ranking = [r[0] for r in con.execute("SELECT paper_id FROM paper_cards_between(?, ?)", [day, day]).fetchall()]
            assert linked_ids((tmp_path / f"{week}.md").read_text(), "Papers, most upvoted first") == ranking
            assert f"{len(ranking)} papers" in done.stdout


def test_the_sample_feed_is_its_newest_week(home, tmp_path):
    assert _digest(home, "2024-05-27", tmp_path).returncode == 0  # an old week: the feed is still the newest
    xml = (tmp_path / "feed.xml").read_bytes()
    assert atom_problems(xml) == []
    parsed = feedparser.parse(xml)
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        newest = con.execute("SELECT paper_id, title FROM paper_cards_between('2025-12-15', '2025-12-28')").fetchall()
    assert [(e.id, e.title) for e in parsed.entries] == [(f"https://huggingface.co/papers/{p}", t) for p, t in newest]
