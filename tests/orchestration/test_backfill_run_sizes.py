"""`papers backfill` makes its later runs longer when the days it loaded are small, never shorter
than the backfill policy's and never for large days (orchestration/runs/backfill.py)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest

from landing.raw_store import land_fetch
from orchestration.partitions import MAX_PARTITIONS_PER_RUN
from orchestration.runs import backfill as backfill_module
from pipeline.date_ranges import contiguous_ranges, days_between

START = date(2025, 1, 1)
YEAR = days_between(START, START + timedelta(days=364))


def _lengths(ranges: list[tuple[date, date]]) -> list[int]:
    return [(last - first).days + 1 for first, last in ranges]


def test_small_days_run_the_rest_of_a_year_in_one_run_and_large_days_keep_quarters():
    rest = contiguous_ranges(YEAR[MAX_PARTITIONS_PER_RUN:], MAX_PARTITIONS_PER_RUN)
    assert _lengths(rest) == [92, 92, 89]
    # 1x days (~0.28 MB of JSON): the 273 days left hold ~76 MB, within RUN_JSON_BYTES.
    assert backfill_module._widened(rest, 280_000) == [(YEAR[92], YEAR[-1])]
    # 10x days (~2.8 MB): quarters as before, so no run holds more JSON than today's 10x runs.
    assert backfill_module._widened(rest, 2_800_000) == rest
    # Days of a size in between: as many as RUN_JSON_BYTES holds, never fewer than a quarter's.
    assert _lengths(backfill_module._widened(rest, 1_000_000)) == [100, 100, 73]
    assert backfill_module._widened(rest, None) == rest
    assert backfill_module._widened([], 1.0) == []


def test_days_that_are_not_consecutive_never_share_a_run():
    gap = [(date(2025, 1, 1), date(2025, 1, 10)), (date(2025, 1, 12), date(2025, 1, 20))]
    assert backfill_module._widened(gap, 1_000) == gap


@pytest.fixture
def recorded_runs(tmp_path, monkeypatch):
    """backfill() with its runs replaced by one that lands each day's fetch (`day_bytes` of JSON)
    and succeeds; the ranges it was asked to run, in order. Sizes scaled down by 1,000 (the
    budget too), so that no test writes a 10x year."""
    monkeypatch.setattr(backfill_module, "RUN_JSON_BYTES", backfill_module.RUN_JSON_BYTES // 1_000)
    raw_dir = tmp_path / "raw"
    ran: list[tuple[date, date]] = []
    state: dict = {"day_bytes": 0}

    def run_range(first, last, instance, backfill_id, run_id=None):
        ran.append((first, last))
        for day in days_between(first, last):
            page = b"[" + b" " * state["day_bytes"] + b"]"
            land_fetch(raw_dir, day, datetime(2025, 12, 1, tzinfo=UTC), "test://day", [page], 1)
        return True, run_id or "run", ""

    class Warehouse:
        pass

    warehouse = Warehouse()
    warehouse.raw_dir = raw_dir  # type: ignore[attr-defined]
    monkeypatch.setattr(backfill_module, "_warehouse", lambda: warehouse)
    monkeypatch.setattr(backfill_module, "run_range", run_range)
    monkeypatch.setattr(backfill_module, "run_warnings", lambda instance, run_id: [])
    monkeypatch.setattr(backfill_module, "rebuild_search_tables", lambda instance: (True, "search", ""))
    monkeypatch.setattr(backfill_module, "_lander", _no_lander)  # no child process fetching
    return ran, state


@contextmanager
def _no_lander(raw_dir, days, backfill_id, on_warning):
    yield None


def test_a_year_of_small_days_loads_in_two_runs(recorded_runs):
    ran, state = recorded_runs
    state["day_bytes"] = 280
    report = backfill_module.backfill(contiguous_ranges(YEAR, MAX_PARTITIONS_PER_RUN), instance=None)
    assert ran == [(YEAR[0], YEAR[91]), (YEAR[92], YEAR[-1])]
    assert report.loaded == YEAR and report.ok


def test_a_year_of_large_days_loads_in_quarters(recorded_runs):
    ran, state = recorded_runs
    state["day_bytes"] = 2_800
    backfill_module.backfill(contiguous_ranges(YEAR[:200], MAX_PARTITIONS_PER_RUN), instance=None)
    assert _lengths(ran) == [92, 92, 16]


def test_the_lander_fetches_every_day_and_stops_after_the_last_run_before_the_search(recorded_runs, monkeypatch):
    ran, state = recorded_runs
    seen: dict = {}

    @contextmanager
    def lander(raw_dir, days, backfill_id, on_warning):
        seen.update(days=days, backfill_id=backfill_id)
        yield "the lander"
        seen["runs_before_its_stop"] = len(ran)

    def rebuild_search_tables(instance):
        seen["lander_stopped_before_the_search"] = "runs_before_its_stop" in seen
        return True, "search", ""

    monkeypatch.setattr(backfill_module, "_lander", lander)
    monkeypatch.setattr(backfill_module, "rebuild_search_tables", rebuild_search_tables)
    state["day_bytes"] = 280
    report = backfill_module.backfill(contiguous_ranges(YEAR, MAX_PARTITIONS_PER_RUN), instance=None)
    assert seen == {
        "days": YEAR,
        "backfill_id": report.backfill_id,
        "runs_before_its_stop": 2,
        "lander_stopped_before_the_search": True,
    }
    assert report.loaded == YEAR and report.ok


def test_a_lander_that_cannot_start_leaves_each_run_to_fetch_its_own_days(monkeypatch, tmp_path):
    def cannot_start(raw_dir, days, backfill, on_message):
        raise OSError("no such file: python")

    monkeypatch.setattr(backfill_module.Lander, "start", cannot_start)
    with backfill_module._lander(tmp_path, YEAR, "cli-b", print) as lander:
        assert lander is None
