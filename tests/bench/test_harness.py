"""The harness: percentiles, headline figures, the floor's equivalence, and a whole tiny run."""

from __future__ import annotations

import argparse
import json
from datetime import date

import pytest

from bench.generate import DayGenerator, day_range, write_days
from bench.measure_load import measure_load
from bench.measure_queries import percentile
from bench.plan import BenchPlan, make_plan
from bench.report import headline


def test_percentile_interpolates_between_ranks():
    # rank of p50 over 4 values = 1.5 -> halfway between 20 and 30; p95: 2.85 -> 30 + 0.85 * 10
    assert percentile([40, 10, 30, 20], 50) == 25
    assert percentile([40, 10, 30, 20], 95) == pytest.approx(38.5)
    with pytest.raises(ValueError):
        percentile([], 50)


def test_headline_extrapolates_a_short_backfill_and_judges_targets():
    plan = BenchPlan(1.0, True, year_days=73, per_partition_days=1, history_days=1, query_repeats=1)
    details = {
        "load": {"ratio": 2.0},  # above the 1.5 target
        "backfill": {"batched": {"seconds": 4.0}, "ratio": 9.0},  # 73 days in 4 s -> 365 days in 20 s
        "queries_10x": {"queries": {"a": {"p95_ms": 12.0}, "b": {"p95_ms": 70.0}}},
    }
    figures = headline(details, plan)
    assert figures["backfill_365_days_s"] == pytest.approx(20.0)
    assert figures["backfill_365_days_extrapolated"] is True
    assert figures["dashboard_query_p95_ms_10x"] == 70.0
    assert figures["dashboard_slowest_query_10x"] == "b"
    assert figures["targets_met"]["load_ratio_vs_duckdb_floor"] is False
    assert figures["targets_met"]["backfill_365_days_s"] is True
    assert figures["targets_met"]["speedup_vs_dlt"] is None  # not measured


def test_floor_fills_the_same_tables_with_the_same_row_counts(tmp_path):
    days = day_range(date(2026, 6, 3), 3)
    write_days(tmp_path / "days", days, DayGenerator(4, seed=2))
    result = measure_load(tmp_path / "days", tmp_path, rounds=2)
    assert result["row_count_differences"] == {}
    assert result["project"]["rows"]["papers"] == 12
    assert len(result["project"]["seconds_each_round"]) == len(result["floor"]["seconds_each_round"]) == 2
    assert result["ratio"] == result["project"]["seconds"] / result["floor"]["seconds"]


def test_the_load_figure_is_each_sides_median_round():
    from bench.measure_load import _median_run

    runs = [{"seconds": 5.0, "rows": {}}, {"seconds": 9.0, "rows": {}}, {"seconds": 4.0, "rows": {}}]
    assert _median_run(runs) == {"seconds": 5.0, "rows": {}, "seconds_each_round": [5.0, 9.0, 4.0]}
    assert _median_run(runs[:2])["seconds"] == 5.0  # even count: the lower middle, not a mean


def test_quick_plan_says_what_it_shrinks():
    plan = make_plan(1.0, quick=True)
    assert plan.year_days < 365
    assert any("--quick" in note for note in plan.notes())
    with pytest.raises(ValueError):
        make_plan(0, quick=True)


@pytest.fixture(scope="module")
def tiny_quick_run(tmp_path_factory) -> dict:
    """One whole `papers bench --quick` on 2 tiny days, its JSON as written; shared by the tests that
    read it (each run of it starts a `papers backfill` process and the query histories' workers)."""
    from bench.run import run_benchmark

    tmp_path = tmp_path_factory.mktemp("tiny_quick_run")
    plan = BenchPlan(0.06, True, year_days=2, per_partition_days=1, history_days=3, query_repeats=1)
    out = tmp_path / "latest.json"
    run_benchmark(plan, "papers bench --quick", out=out, work_dir=tmp_path / "work", end=date(2026, 6, 2), say=lambda _: None)
    return json.loads(out.read_text())


def test_a_tiny_quick_run_writes_every_headline_key(tiny_quick_run):
    results = tiny_quick_run
    errors = {k: v["error"] for k, v in results["details"].items() if "error" in v}
    assert errors == {}
    for key in (
        "load_ratio_vs_duckdb_floor",
        "speedup_vs_dlt",
        "backfill_365_days_s",
        "backfill_one_run_per_partition_ratio",
        "dashboard_query_p95_ms_10x",
        "peak_rss_mb_10x",
    ):
        assert results[key] is not None, key
    assert results["details"]["backfill"]["batched"]["loaded"] == 2
    # --quick loads into one fresh lake, not three (each initialises a PostgreSQL cluster)
    lake = results["details"]["load_ducklake"]
    assert "skipped" in lake or len(lake["seconds_each_round"]) == 1, lake
    assert results["machine"]["logical_cores"] >= 1


def test_backfill_process_runs_papers_backfill_beside_the_floor(tiny_quick_run):
    # The quick run's own measurement (it runs every step; `--only backfill_process` ran a second
    # `papers backfill` process for the same figures).
    results = tiny_quick_run
    process = results["details"]["backfill_process"]
    # both days went through the load run and the search rebuild, each a Dagster run
    assert process["backfill"]["published_papers"] == results["details"]["generate"]["1x"]["papers"]
    assert process["backfill"]["runs"] == 2
    assert set(process["backfill"]["step_seconds"]) == {"daily_papers", "search_tables"}
    assert process["backfill"]["requests"] == 2
    # the phases outside the steps, run by run, add up to the process's wall time
    phases = process["backfill"]["phases"]
    assert [run["job"] for run in phases["runs"]] == ["daily_papers_job", "search_tables_job"]
    spans = [run[k] for run in phases["runs"] for k in run if k.endswith("_s")] + [phases["after_last_run_s"]]
    assert min(spans) >= 0
    assert sum(spans) == pytest.approx(process["backfill"]["wall_s"], abs=0.5)
    assert results["backfill_process_ratio_vs_duckdb_floor"] == process["backfill"]["wall_s"] / process["floor"]["seconds"]
    assert results["backfill_process_s"] == process["backfill"]["wall_s"]
    assert process["backfill"]["cpu_s_each_round"] == [process["backfill"]["cpu_s"]]


def test_only_reruns_the_named_measurements_on_the_days_already_generated(tmp_path):
    from bench.run import run_benchmark

    plan = BenchPlan(0.06, True, year_days=2, per_partition_days=1, history_days=3, query_repeats=1)
    work, first, again = tmp_path / "work", tmp_path / "first.json", tmp_path / "again.json"
    said: list[str] = []
    run_benchmark(
        plan, "papers bench --only load", out=first, work_dir=work, end=date(2026, 6, 2), say=said.append, only={"load"}
    )
    assert set(json.loads(first.read_text())["details"]) == {"generate", "load"}  # nothing to reuse yet
    said.clear()
    run_benchmark(
        plan, "papers bench --only load", out=again, work_dir=work, end=date(2026, 6, 2), say=said.append, only={"load"}
    )
    results = json.loads(again.read_text())
    assert set(results["details"]) == {"load"} and results["only"] == ["load"]
    assert results["load_ratio_vs_duckdb_floor"] is not None and results["backfill_365_days_s"] is None
    assert not any("generate" in line for line in said)


def test_only_queries_builds_its_history_without_generating_the_year_of_days(tmp_path):
    from bench.run import run_benchmark

    plan = BenchPlan(0.06, True, year_days=2, per_partition_days=1, history_days=3, query_repeats=1)
    out, said = tmp_path / "out.json", []
    run_benchmark(
        plan,
        "papers bench --only queries_1x",
        out=out,
        work_dir=tmp_path / "work",
        end=date(2026, 6, 2),
        say=said.append,
        only={"queries_1x"},
    )
    details = json.loads(out.read_text())["details"]
    assert set(details) == {"queries_1x"} and details["queries_1x"]["queries"]
    assert not any("generate" in line for line in said)
    assert not (tmp_path / "work" / "days_1x").exists()


def test_the_command_refuses_an_unknown_step():
    from papers_cli.cmd_bench import _steps

    assert _steps("load, backfill") == {"load", "backfill"}
    with pytest.raises(argparse.ArgumentTypeError, match="unknown step"):
        _steps("load,lod")
