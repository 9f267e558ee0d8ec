"""The generator's authors are spread like the recorded days' (bench/author_spread.py): compared on
samples of the fixtures' size, since 46 papers cannot show the tail of a 500,000-paper history."""

from __future__ import annotations

import json
from datetime import date
from statistics import mean

import pytest

from bench.author_spread import author_spread
from bench.generate import DayGenerator
from hf_api.sample_replay import BUNDLED_SAMPLE_DIR

FIXTURE_DAYS = [date(2024, 5, 27), date(2024, 12, 25), date(2025, 1, 22), date(2025, 12, 25)]


def fixture_items() -> list[dict]:
    items: list[dict] = []
    for day in FIXTURE_DAYS:
        items.extend(json.loads((BUNDLED_SAMPLE_DIR / f"daily_papers_{day.isoformat()}.json").read_text(encoding="utf-8")))
    return items


def test_the_spread_of_a_hand_made_listing():
    items = [
        {"paper": {"authors": [{"name": "Ann"}, {"name": "Ben"}]}},
        {"paper": {"authors": [{"name": "Ann"}, {"name": "Ann"}]}},  # Ann listed twice: one paper
        {"paper": {"authors": [{"name": "Cat"}]}},
    ]
    spread = author_spread(items)
    # Ann on 2 of 3 papers; the top 1% of 3 authors is Ann alone: 2 of 4 slots
    assert (spread.papers, spread.authors, spread.busiest_share, spread.top_share) == (3, 3, 2 / 3, 0.5)
    with pytest.raises(ValueError, match="no items"):
        author_spread([])


def test_generated_authors_are_spread_like_the_recorded_days():
    real = author_spread(fixture_items())
    # measured: 46 papers, 781 authors; nobody on more than 2 papers; the top 1% fill 1.3% of slots
    assert (real.papers, real.authors) == (46, 781)
    assert real.busiest_share == pytest.approx(2 / 46)
    assert real.top_share == pytest.approx(0.0127, abs=0.0005)
    # samples of the same size (4 days of 12 papers, 20 seeds): AUTHOR_SKEW 3.0 gave a busiest
    # author on 31% of the papers and a top 1% filling 5.3% of the slots
    samples = [author_spread([i for d in FIXTURE_DAYS for i in DayGenerator(12, seed=s).items(d)]) for s in range(20)]
    assert mean(s.busiest_share for s in samples) < 1.5 * real.busiest_share
    assert mean(s.top_share for s in samples) < 2 * real.top_share
