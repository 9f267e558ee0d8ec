"""`papers backfill` makes its runs longer when the days are small (by the first days, fetched
before the first run, then by the days loaded), never shorter than the backfill policy's and never
for large days (orchestration/runs/backfill.py)."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest

from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from landing.raw_store import land_fetch, last_failure, list_fetches
from orchestration.partitions import MAX_PARTITIONS_PER_RUN
from orchestration.runs import backfill as backfill_module
from pipeline.date_ranges import contiguous_ranges, days_between
from pipeline.fetch_days import fetch_and_land

START = date(2025, 1, 1)
YEAR = days_between(START, START + timedelta(days=364))


def _lengths(ranges: list[tuple[date, date]]) -> list[int]:
    return [(last - first).days + 1 for first, last in ranges]


def test_small_days_run_the_rest_of_a_year_in_one_run_and_large_days_keep_quarters():
    rest = contiguous_ranges(YEAR[MAX_PARTITIONS_PER_RUN:], MAX_PARTITIONS_PER_RUN)
    assert _lengths(rest) == [92, 92, 89]
    # 1x days (~0.28 MB of JSON): the 273 days left hold ~76 MB, within RUN_JSON_BYTES.
    assert backfill_module._widened(rest, 280_000) == [(YEAR[92], YEAR[-1])]
    # The whole 1x year too: 365 days at the generated year's largest day (0.36 MB) hold 131 MB.
    assert backfill_module._widened(contiguous_ranges(YEAR, MAX_PARTITIONS_PER_RUN), 350_000) == [(YEAR[0], YEAR[-1])]
    # 10x days (~2.8 MB): quarters as before, so no run holds more JSON than today's 10x runs.
    assert backfill_module._widened(rest, 2_800_000) == rest
    # Days of a size in between: as many as RUN_JSON_BYTES holds, never fewer than a quarter's.
    assert _lengths(backfill_module._widened(rest, 1_000_000)) == [128, 128, 17]
    assert backfill_module._widened(rest, None) == rest
    assert backfill_module._widened([], 1.0) == []


def test_days_that_are_not_consecutive_never_share_a_run():
    gap = [(date(2025, 1, 1), date(2025, 1, 10)), (date(2025, 1, 12), date(2025, 1, 20))]
    assert backfill_module._widened(gap, 1_000) == gap


@pytest.fixture
def recorded_runs(tmp_path, monkeypatch):
    """backfill() with its runs replaced by one that lands each day's fetch (`day_bytes` of JSON)
    and succeeds, and its probe by one that lands `probe_bytes` (default `day_bytes`) for each
    day it is given; the ranges it was asked to run, in order, and the days probed. Sizes scaled
    down by 1,000 (the budget too), so that no test writes a 10x year."""
    monkeypatch.setattr(backfill_module, "RUN_JSON_BYTES", backfill_module.RUN_JSON_BYTES // 1_000)
    raw_dir = tmp_path / "raw"
    ran: list[tuple[date, date]] = []
    state: dict = {"day_bytes": 0, "probe_bytes": None, "probed": []}

    def land(day, size):
        page = b"[" + b" " * size + b"]"
        return land_fetch(raw_dir, day, datetime(2025, 12, 1, tzinfo=UTC), "test://day", [page], 1)

    def run_range(first, last, instance, backfill_id, run_id=None):
        ran.append((first, last))
        for day in days_between(first, last):
            if not list_fetches(raw_dir, day):  # a day the probe landed is reused
                land(day, state["day_bytes"])
        return True, run_id or "run", ""

    def probe_days(raw_dir, days, run_id, backfill_id):
        state["probed"] += days
        size = state["day_bytes"] if state["probe_bytes"] is None else state["probe_bytes"]
        return {} if size < 0 else {day: land(day, size) for day in days}

    monkeypatch.setattr(backfill_module, "probe_days", probe_days)

    class Warehouse:
        pass

    warehouse = Warehouse()
    warehouse.raw_dir = raw_dir  # type: ignore[attr-defined]
    monkeypatch.setattr(backfill_module, "_warehouse", lambda: warehouse)
    monkeypatch.setattr(backfill_module, "run_range", run_range)
    monkeypatch.setattr(backfill_module, "run_warnings", lambda instance, run_id: [])
    monkeypatch.setattr(backfill_module, "rebuild_search_tables", lambda instance: (True, "search", ""))
    return ran, state


def test_a_year_of_small_days_loads_in_one_run_sized_by_its_first_week(recorded_runs):
    ran, state = recorded_runs
    state["day_bytes"] = 280
    report = backfill_module.backfill(contiguous_ranges(YEAR, MAX_PARTITIONS_PER_RUN), instance=None)
    assert state["probed"] == YEAR[: backfill_module.PROBE_DAYS]
    assert ran == [(YEAR[0], YEAR[-1])]
    assert report.loaded == YEAR and report.ok


def test_a_year_of_large_days_loads_in_quarters(recorded_runs):
    ran, state = recorded_runs
    state["day_bytes"] = 2_800
    backfill_module.backfill(contiguous_ranges(YEAR[:200], MAX_PARTITIONS_PER_RUN), instance=None)
    assert _lengths(ran) == [92, 92, 16]


def test_a_first_week_of_large_days_keeps_the_first_run_a_quarter(recorded_runs):
    # Large first days, small later ones: the first run keeps the policy's length, the rest is
    # sized by the days loaded, as before the probe.
    ran, state = recorded_runs
    state["day_bytes"], state["probe_bytes"] = 280, 2_800
    backfill_module.backfill(contiguous_ranges(YEAR, MAX_PARTITIONS_PER_RUN), instance=None)
    assert ran[0] == (YEAR[0], YEAR[91])
    assert [day for first, last in ran for day in days_between(first, last)] == YEAR


def test_a_probe_that_lands_nothing_keeps_the_policys_first_run(recorded_runs):
    ran, state = recorded_runs
    state["day_bytes"], state["probe_bytes"] = 280, -1
    backfill_module.backfill(contiguous_ranges(YEAR, MAX_PARTITIONS_PER_RUN), instance=None)
    assert ran == [(YEAR[0], YEAR[91]), (YEAR[92], YEAR[-1])]


def test_a_range_of_one_run_is_not_probed(recorded_runs):
    ran, state = recorded_runs
    state["day_bytes"] = 280
    backfill_module.backfill(contiguous_ranges(YEAR[:MAX_PARTITIONS_PER_RUN], MAX_PARTITIONS_PER_RUN), instance=None)
    assert state["probed"] == [] and ran == [(YEAR[0], YEAR[91])]


def test_the_probed_days_are_landed_for_the_first_run_which_fetches_only_the_others(tmp_path, monkeypatch):
    days = fixture_days(tmp_path / "served", 9, date(2025, 2, 3))
    raw_dir = tmp_path / "raw"
    # The probe's second day fails once: its failure is recorded for the run, which fetches it again.
    with FakeHFServer(tmp_path / "served", faults={days[1].isoformat(): ["404", "ok"]}) as server:
        monkeypatch.setenv("HF_API_BASE_URL", server.base_url)
        monkeypatch.setenv("HF_REQUESTS_PER_SECOND", "0")
        probed = backfill_module.probe_days(raw_dir, days[:3], "run-1", "cli-b")
        assert sorted(probed) == [days[0], days[2]]
        for day in (days[0], days[2]):
            [fetch] = list_fetches(raw_dir, day)
            assert probed[day] == fetch and fetch.tags == {"run_id": "run-1", "backfill": "cli-b"}
        assert last_failure(raw_dir, days[1])["run_id"] == "run-1"
        hits_after_probe = dict(server.hits)
        with backfill_module.client_from_settings(backfill_module.Settings.from_env()) as client:
            outcome = fetch_and_land(client, raw_dir, days, "run-1", "cli-b", logging.getLogger("test"))
    assert list(outcome.landed) == days and not outcome.failures
    assert outcome.landed[days[0]] == probed[days[0]]  # reused, not fetched again
    assert {day: server.hits[day.isoformat()] - hits_after_probe.get(day.isoformat(), 0) for day in days} == {
        day: 0 if day in probed else 1 for day in days
    }
    assert last_failure(raw_dir, days[1]) is None
