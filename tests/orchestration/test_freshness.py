"""Freshness: yesterday's listing published by the deadline hour, per partition."""

from datetime import date, datetime, timedelta, timezone

import dagster as dg
import pytest

from orchestration.freshness import (
    CHECK_NAME,
    FRESHNESS_HOUR_ENV,
    PUBLISHED,
    combined_result,
    day_published,
    deadline_for,
    freshness_hour,
    judge,
    listing_freshness_sensor,
    listing_published_by_deadline,
)
from orchestration.partitions import daily_partitions
from orchestration.resources import WarehouseResource
from warehouse.db import connect_writer

DAY = date(2025, 3, 3)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def publish_days(home, days: list[date]) -> None:
    """A published warehouse whose partition_loads holds exactly `days`."""
    con = connect_writer(home / "warehouse.duckdb")
    try:
        for day in days:
            con.execute("INSERT INTO partition_loads VALUES (?, ?, 1, 3, 3, 0, ?)",
                        [day, utc(2025, 3, 4, 1), utc(2025, 3, 4, 1)])
    finally:
        con.close()


def test_the_hour_comes_from_the_environment_with_a_default_and_a_clear_error():
    assert freshness_hour({}) == 6
    assert freshness_hour({FRESHNESS_HOUR_ENV: "9"}) == 9
    for bad in ("24", "-1", "six"):
        with pytest.raises(ValueError, match=FRESHNESS_HOUR_ENV):
            freshness_hour({FRESHNESS_HOUR_ENV: bad})


def test_a_day_is_due_the_next_day_at_the_hour_utc():
    assert deadline_for(DAY, 6) == utc(2025, 3, 4, 6)


def test_a_published_day_passes_even_after_the_deadline():
    assert judge(DAY, utc(2025, 3, 9), 6, loaded=True).passed


def test_a_missing_day_passes_until_it_is_due_then_fails_with_how_to_backfill_it():
    early = judge(DAY, utc(2025, 3, 4, 5, 59), 6, loaded=False)
    assert early.passed and "due at 2025-03-04 06:00 UTC" in early.description
    late = judge(DAY, utc(2025, 3, 4, 8, 30), 6, loaded=False)
    assert not late.passed
    assert "2.5 h late" in late.description
    assert "papers backfill --start 2025-03-03 --end 2025-03-03" in late.description


def test_day_published_reads_partition_loads_of_the_published_file(tmp_path):
    assert not day_published(tmp_path / "warehouse.duckdb", DAY)  # no file yet: not published
    publish_days(tmp_path, [DAY - timedelta(days=1)])  # only the day before: DAY is missing
    assert not day_published(tmp_path / "warehouse.duckdb", DAY)
    publish_days(tmp_path, [DAY])
    assert day_published(tmp_path / "warehouse.duckdb", DAY)


@dg.asset(key=PUBLISHED, partitions_def=daily_partitions)
def published_stand_in() -> None:
    """Stands in for the ingest step, which the check only needs as its target."""


def run_check(home, partition: str) -> dg.AssetCheckEvaluation:
    result = dg.materialize(
        [published_stand_in, listing_published_by_deadline], partition_key=partition,
        resources={"warehouse": WarehouseResource(papers_home=str(home))},
    )
    [evaluation] = result.get_asset_check_evaluations()
    return evaluation


def test_the_partitioned_check_fails_for_a_late_day_and_passes_once_it_is_published(tmp_path):
    # DAY was due long ago whatever the hour, so only "is it published" decides.
    missing = run_check(tmp_path, DAY.isoformat())
    assert (missing.check_name, missing.passed) == (CHECK_NAME, False)
    publish_days(tmp_path, [DAY])
    assert run_check(tmp_path, DAY.isoformat()).passed


def sensor_tick(home, cursor=None):
    context = dg.build_sensor_context(
        cursor=cursor, resources={"warehouse": WarehouseResource(papers_home=str(home))})
    return listing_freshness_sensor(context)


def test_the_sensor_records_yesterdays_verdict_on_the_check_only_when_it_changes(tmp_path, monkeypatch):
    # Hour 0: yesterday is due from midnight UTC on, so it is due now, whatever the test's hour.
    monkeypatch.setenv(FRESHNESS_HOUR_ENV, "0")
    yesterday = datetime.now(timezone.utc).date() - timedelta(days=1)
    late = sensor_tick(tmp_path)
    [event] = late.asset_events
    assert (event.asset_key, event.check_name, event.partition) == (PUBLISHED, CHECK_NAME, yesterday.isoformat())
    assert not event.passed
    assert isinstance(sensor_tick(tmp_path, cursor=late.cursor), dg.SkipReason)

    publish_days(tmp_path, [yesterday])
    recovered = sensor_tick(tmp_path, cursor=late.cursor)
    assert [e.passed for e in recovered.asset_events] == [True]


def test_a_ranged_step_fails_naming_only_the_late_days():
    noon = utc(2025, 3, 9, 12)
    verdicts = [
        judge(DAY, noon, 6, loaded=True),                        # published: fine
        judge(DAY + timedelta(days=1), noon, 6, loaded=False),   # due 03-05 06:00: late
        judge(DAY + timedelta(days=5), noon, 6, loaded=False),   # due 03-09 06:00: 6 h late
        judge(DAY + timedelta(days=6), noon, 6, loaded=False),   # due 03-10: not late yet
    ]
    result = combined_result(verdicts)
    assert not result.passed
    assert result.metadata["late_days"].data == ["2025-03-04", "2025-03-08"]
    assert result.description.startswith("2 of 4 days are late")
