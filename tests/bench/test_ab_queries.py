"""bench.ab_queries: trees' dashboard queries alternated in fresh processes, answers compared."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from bench.ab_queries import differences, main, tree_argument
from papers_settings import REPO_ROOT
from tests.dashboard.seed import seed_warehouse


def test_answers_that_differ_are_named_and_last_bits_of_a_score_are_not():
    frame = pl.DataFrame({"paper_id": ["a", "b"], "score": [1.0, 0.5]})
    close = frame.with_columns(pl.col("score") * (1 + 1e-15))
    reordered = frame.reverse()
    found = differences(
        {"same": frame, "close": frame, "order": frame, "typed": frame, "value": {"papers": 3}},
        {
            "same": frame.clone(),
            "close": close,
            "order": reordered,
            "typed": frame.cast({"score": pl.Float32}),
            "value": {"papers": 4},
        },
    )
    assert sorted(found) == ["order", "typed", "value"]
    assert found["order"] == "rows differ" and found["typed"].startswith("schema")
    assert differences({"gone": frame}, {}) == {"gone": "DataFrame != NoneType"}


def test_tree_arguments_name_their_own_warehouse_or_none():
    assert tree_argument("new=/t/new@/w/new.duckdb") == (
        "new",
        Path("/t/new"),
        Path("/w/new.duckdb"),
    )
    assert tree_argument("base=/t/base")[2] is None


def test_two_runs_of_one_tree_alternate_and_agree(tmp_path):
    warehouse = seed_warehouse(tmp_path / "warehouse.duckdb")
    out = tmp_path / "ab.json"
    result = main(out, 2, warehouse, 2, [("a", REPO_ROOT, None), ("b", REPO_ROOT, None)], ["search", "kpis"])
    assert json.loads(out.read_text()) == result
    assert [list(record) for record in result["rounds"]] == [["a", "b"], ["b", "a"]]  # the order flips
    figures = result["rounds"][0]["a"]
    assert set(figures["queries"]) == {"search", "kpis"} and figures["process_cpu_s"] > 0
    assert all(q["p95_ms"] >= q["p50_ms"] > 0 and q["cpu_p50_ms"] >= 0 for q in figures["queries"].values())
    assert result["differences"] == {"b": {}}
