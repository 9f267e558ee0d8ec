"""`papers backfill` makes its runs longer when the days are small, never shorter than the backfill
policy's and never for large days: before the first run from the lander's first week, after each
run from the days it loaded (orchestration/runs/backfill.py)."""

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
    # So is a whole 1x year (~102 MB), in one run.
    year = contiguous_ranges(YEAR, MAX_PARTITIONS_PER_RUN)
    assert backfill_module._widened(year, 280_000) == [(YEAR[0], YEAR[-1])]
    # 10x days (~2.8 MB): quarters as before, so no run holds more JSON than today's 10x runs.
    assert backfill_module._widened(rest, 2_800_000) == rest
    # Days of a size in between: as many as RUN_JSON_BYTES holds, never fewer than a quarter's.
    assert _lengths(backfill_module._widened(rest, 1_000_000)) == [120, 120, 33]
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
            _land(raw_dir, day, state["day_bytes"])
        return True, run_id or "run", ""

    class Warehouse:
        pass

    warehouse = Warehouse()
    warehouse.raw_dir = raw_dir  # type: ignore[attr-defined]
    monkeypatch.setattr(backfill_module, "_warehouse", lambda: warehouse)
    monkeypatch.setattr(backfill_module, "run_range", run_range)
    monkeypatch.setattr(backfill_module, "run_warnings", lambda instance, run_id: [])
    monkeypatch.setattr(backfill_module, "rebuild_search_tables", lambda instance: (True, "search", ""))
    monkeypatch.setattr(backfill_module, "landing", _no_lander)  # no child process fetching
    return ran, state


def _land(raw_dir, day: date, size: int, fetched_at: datetime = datetime(2025, 12, 1, tzinfo=UTC)) -> None:
    page = b"[" + b" " * size + b"]"
    land_fetch(raw_dir, day, fetched_at, "test://day", [page], 1)


@contextmanager
def _no_lander(raw_dir, days, backfill_id, on_warning):
    yield None


class FakeLander:
    """A lander that has landed `landed` days of `size` bytes when the backfill starts."""

    backfill = "cli-given"

    def __init__(self, landed: int, size: int, running: bool = True, requests_per_second: float | None = None):
        self.landed, self.size, self.is_running, self.asked = landed, size, running, 0
        self.requests_per_second = requests_per_second
        self.stopped = False

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stopped = True

    def running(self) -> bool:
        self.asked += 1
        return self.is_running

    @contextmanager
    def as_backfills(self, raw_dir, days, backfill_id, on_warning):
        for day in days[: self.landed]:
            _land(raw_dir, day, self.size, fetched_at=datetime(2025, 11, 30, tzinfo=UTC))
        yield self


def test_a_year_of_small_days_loads_in_one_run_sized_from_the_landers_first_week(recorded_runs, monkeypatch):
    ran, state = recorded_runs
    state["day_bytes"] = 280
    monkeypatch.setattr(backfill_module, "landing", FakeLander(landed=7, size=280).as_backfills)
    report = backfill_module.backfill(contiguous_ranges(YEAR, MAX_PARTITIONS_PER_RUN), instance=None)
    assert ran == [(YEAR[0], YEAR[-1])]
    assert report.loaded == YEAR and report.ok


def test_large_days_in_the_landers_first_week_keep_quarters(recorded_runs, monkeypatch):
    ran, state = recorded_runs
    state["day_bytes"] = 2_800
    monkeypatch.setattr(backfill_module, "landing", FakeLander(landed=7, size=2_800).as_backfills)
    backfill_module.backfill(contiguous_ranges(YEAR[:200], MAX_PARTITIONS_PER_RUN), instance=None)
    assert _lengths(ran) == [92, 92, 16]


def test_a_first_week_not_landed_in_time_plans_the_runs_as_without_a_lander(recorded_runs, monkeypatch):
    ran, state = recorded_runs
    state["day_bytes"] = 280
    monkeypatch.setattr(backfill_module, "SIZE_SAMPLE_TIMEOUT_S", 0.05)
    lander = FakeLander(landed=3, size=280)
    monkeypatch.setattr(backfill_module, "landing", lander.as_backfills)
    backfill_module.backfill(contiguous_ranges(YEAR, MAX_PARTITIONS_PER_RUN), instance=None)
    # The first run keeps the policy's length; the rest is widened from the days it loaded.
    assert ran == [(YEAR[0], YEAR[91]), (YEAR[92], YEAR[-1])]
    assert lander.asked > 1  # it waited


# A wait where none is due would sit out SIZE_SAMPLE_TIMEOUT_S: failed by the test's timeout.
@pytest.mark.timeout(30)
def test_a_lander_that_has_ended_is_not_waited_for(recorded_runs, monkeypatch):
    ran, state = recorded_runs
    state["day_bytes"] = 280
    monkeypatch.setattr(backfill_module, "SIZE_SAMPLE_TIMEOUT_S", 3600)
    monkeypatch.setattr(backfill_module, "landing", FakeLander(landed=3, size=280, running=False).as_backfills)
    backfill_module.backfill(contiguous_ranges(YEAR, MAX_PARTITIONS_PER_RUN), instance=None)
    assert ran == [(YEAR[0], YEAR[91]), (YEAR[92], YEAR[-1])]


# A wait where none is due would sit out SIZE_SAMPLE_TIMEOUT_S: failed by the test's timeout.
@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("requests_per_second", "landed", "one_run"),
    # The API's default limit: a week takes 3.5 s, not waited for. One that lands it within the wait.
    [(2.0, 0, False), (1000.0, 7, True)],
)
def test_the_week_is_waited_for_only_when_the_landers_rate_limit_can_land_it_in_time(
    recorded_runs, monkeypatch, requests_per_second, landed, one_run
):
    ran, state = recorded_runs
    state["day_bytes"] = 280
    monkeypatch.setattr(backfill_module, "SIZE_SAMPLE_TIMEOUT_S", 3600)
    lander = FakeLander(landed=landed, size=280, requests_per_second=requests_per_second)
    monkeypatch.setattr(backfill_module, "landing", lander.as_backfills)
    backfill_module.backfill(contiguous_ranges(YEAR, MAX_PARTITIONS_PER_RUN), instance=None)
    assert ran == ([(YEAR[0], YEAR[-1])] if one_run else [(YEAR[0], YEAR[91]), (YEAR[92], YEAR[-1])])


# A wait where none is due would sit out SIZE_SAMPLE_TIMEOUT_S: failed by the test's timeout.
@pytest.mark.timeout(30)
def test_a_backfill_of_one_run_does_not_wait_for_the_first_week(recorded_runs, monkeypatch):
    ran, state = recorded_runs
    monkeypatch.setattr(backfill_module, "SIZE_SAMPLE_TIMEOUT_S", 3600)
    lander = FakeLander(landed=0, size=280)
    monkeypatch.setattr(backfill_module, "landing", lander.as_backfills)
    backfill_module.backfill([(YEAR[0], YEAR[14])], instance=None)
    assert ran == [(YEAR[0], YEAR[14])]
    assert lander.asked == 0


def test_a_year_of_small_days_without_a_lander_loads_in_two_runs(recorded_runs):
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
        yield FakeLander(landed=0, size=0, running=False)
        seen["runs_before_its_stop"] = len(ran)

    def rebuild_search_tables(instance):
        seen["lander_stopped_before_the_search"] = "runs_before_its_stop" in seen
        return True, "search", ""

    monkeypatch.setattr(backfill_module, "landing", lander)
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


def test_a_lander_the_caller_started_lands_the_backfill_and_is_stopped_after_the_last_run(recorded_runs, monkeypatch):
    ran, state = recorded_runs
    state["day_bytes"] = 280
    given = FakeLander(landed=0, size=280)
    raw_dir = backfill_module._warehouse().raw_dir
    for day in YEAR[:7]:  # landed by the time the backfill starts, as the command's lander has
        _land(raw_dir, day, 280, fetched_at=datetime(2025, 11, 30, tzinfo=UTC))
    seen: dict = {}

    def no_second_lander(*args):
        raise AssertionError("a backfill given a lander started another")

    def rebuild_search_tables(instance):
        seen["lander_stopped_before_the_search"] = given.stopped
        return True, "search", ""

    monkeypatch.setattr(backfill_module, "landing", no_second_lander)
    monkeypatch.setattr(backfill_module, "rebuild_search_tables", rebuild_search_tables)
    report = backfill_module.backfill(contiguous_ranges(YEAR, MAX_PARTITIONS_PER_RUN), instance=None, lander=given)
    assert report.backfill_id == "cli-given"
    assert ran == [(YEAR[0], YEAR[-1])]  # sized from the first week it had landed
    assert seen == {"lander_stopped_before_the_search": True}


def test_a_lander_that_cannot_start_leaves_each_run_to_fetch_its_own_days(monkeypatch, tmp_path):
    def cannot_start(raw_dir, days, backfill, on_message):
        raise OSError("no such file: python")

    monkeypatch.setattr(backfill_module.Lander, "start", cannot_start)
    with backfill_module.landing(tmp_path, YEAR, "cli-b", print) as lander:
        assert lander is None
