"""paper_keywords, keyword_weekly, keyword_coverage and rising_keywords on hand-made weeks."""

from __future__ import annotations

import math
from datetime import date

import pytest

from tests.warehouse.conftest import paper

W1 = date(2024, 1, 1)  # Mondays
W2 = date(2024, 1, 8)
W3 = date(2024, 1, 15)
W4 = date(2024, 1, 22)
W5 = date(2024, 1, 29)
W10 = date(2024, 3, 4)  # W1 is 9 weeks before it (outside its baseline), W2 exactly 8 (inside)

PAPERS = [
    paper("k1", W1, ai_keywords=["LLM", " llm ", "Diffusion"]),  # same keyword twice: one row
    paper("k2", date(2024, 1, 7), ai_keywords=["Agents"]),  # Sunday: still week W1
    paper("k3", W2, ai_keywords=["llm"]),
    paper("k4", W2, ai_keywords=["Large  Language"]),  # inner spaces collapse
    paper("k4b", W2, ai_keywords=["llm"]),
    paper("k4c", W2, ai_keywords=["LLM"]),
    paper("k5", W3, ai_keywords=["agents"]),  # llm absent: a 0 in its baseline
    paper("k6", W4, ai_keywords=None),  # W4 has no keywords at all:
    paper("k7", W4, ai_keywords=[]),  # not a 0 in any baseline
    paper("k8", W5, ai_keywords=["llm"]),
    paper("k9", W5, ai_keywords=["llm"]),
    paper("k10", W5, ai_keywords=["LLM"]),
    paper("k11", W5, ai_keywords=None),  # coverage 3 of 4
    paper("k12", W10, ai_keywords=["diffusion"]),
]


@pytest.fixture
def warehouse(hand_warehouse):
    hand_warehouse.insert("papers", PAPERS)
    return hand_warehouse


def test_paper_keywords_are_normalised_and_distinct_per_paper(warehouse):
    rows = warehouse.rows("SELECT paper_id, keyword FROM paper_keywords WHERE paper_id IN ('k1', 'k4') ORDER BY 1, 2")
    assert rows == [
        {"paper_id": "k1", "keyword": "diffusion"},
        {"paper_id": "k1", "keyword": "llm"},
        {"paper_id": "k4", "keyword": "large language"},
    ]


def test_keyword_weekly_counts_papers(warehouse):
    rows = warehouse.rows("SELECT week_start, papers FROM keyword_weekly WHERE keyword = 'llm' ORDER BY 1")
    assert rows == [{"week_start": W1, "papers": 1}, {"week_start": W2, "papers": 3}, {"week_start": W5, "papers": 3}]
    agents = warehouse.rows("SELECT week_start, papers FROM keyword_weekly WHERE keyword = 'agents' ORDER BY 1")
    assert agents == [{"week_start": W1, "papers": 1}, {"week_start": W3, "papers": 1}]


def test_keyword_coverage_says_how_many_papers_have_keywords(warehouse):
    rows = warehouse.rows("SELECT * FROM keyword_coverage ORDER BY week_start")
    assert rows == [
        {"week_start": W1, "papers": 2, "papers_with_keywords": 2, "coverage": 1.0},
        {"week_start": W2, "papers": 4, "papers_with_keywords": 4, "coverage": 1.0},
        {"week_start": W3, "papers": 1, "papers_with_keywords": 1, "coverage": 1.0},
        {"week_start": W4, "papers": 2, "papers_with_keywords": 0, "coverage": 0.0},  # NULL and []
        {"week_start": W5, "papers": 4, "papers_with_keywords": 3, "coverage": 0.75},
        {"week_start": W10, "papers": 1, "papers_with_keywords": 1, "coverage": 1.0},
    ]


def rising(warehouse, keyword, week):
    return warehouse.rows("SELECT * FROM rising_keywords WHERE keyword = ? AND week_start = ?", [keyword, week])[0]


def test_z_score_against_the_covered_weeks_before(warehouse):
    row = rising(warehouse, "llm", W5)
    # Baseline weeks W1 W2 W3 (W4 had no keywords and is skipped): llm counts 1, 3, 0.
    assert row["baseline_weeks"] == 3
    assert row["baseline_mean"] == pytest.approx(4 / 3)
    # population variance ((1 - 4/3)^2 + (3 - 4/3)^2 + (0 - 4/3)^2) / 3 = (1 + 25 + 16) / 27 = 14 / 9
    assert row["baseline_std"] == pytest.approx(math.sqrt(14) / 3)
    # (3 - 4/3) / (sqrt(14) / 3) = 5 / sqrt(14)
    assert row["z_score"] == pytest.approx(5 / math.sqrt(14))


def test_a_flat_baseline_divides_by_one_paper(warehouse):
    row = rising(warehouse, "llm", W2)
    # baseline: W1 only, count 1 -> mean 1, std 0, floored to 1: (3 - 1) / 1
    assert (row["baseline_weeks"], row["baseline_mean"], row["baseline_std"]) == (1, 1.0, 0.0)
    assert row["z_score"] == pytest.approx(2.0)


def test_a_small_std_is_floored_too(warehouse):
    row = rising(warehouse, "agents", W3)
    # baseline W1, W2: counts 1, 0 -> mean 0.5, std 0.5 (< 1): (1 - 0.5) / 1
    assert (row["baseline_mean"], row["baseline_std"], row["z_score"]) == (0.5, 0.5, 0.5)


def test_the_first_week_has_no_baseline(warehouse):
    row = rising(warehouse, "llm", W1)
    assert (row["baseline_weeks"], row["baseline_mean"], row["baseline_std"], row["z_score"]) == (0, None, None, None)


def test_the_baseline_is_the_eight_weeks_before(warehouse):
    row = rising(warehouse, "diffusion", W10)
    # window 2024-01-08 .. 2024-02-26: W2, W3, W5 covered (W1 is 9 weeks back, W4 uncovered,
    # the weeks after W5 have no papers); diffusion was only in W1, so counts 0, 0, 0.
    assert (row["baseline_weeks"], row["baseline_mean"], row["baseline_std"]) == (3, 0.0, 0.0)
    assert row["z_score"] == pytest.approx(1.0)  # (1 - 0) / max(0, 1)


def test_rising_keywords_has_a_row_only_where_the_keyword_appears(warehouse):
    weeks = warehouse.rows("SELECT week_start FROM rising_keywords WHERE keyword = 'llm' ORDER BY 1")
    assert [r["week_start"] for r in weeks] == [W1, W2, W5]
