"""Why the instance keeps one planned event per partition (Dagster's default) although
DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS would write one per asset per run: with it, a
ranged run's failed day is no longer shown FAILED. The UI's partition statuses come from the
status cache read here, which finds failed days by their planned events without a
materialization in a failed run (dagster/_core/storage/partition_status_cache.py). If a Dagster
upgrade makes the second case keep the failed day, the flag is worth another look (issue 21).
"""

from __future__ import annotations

import shutil

import dagster as dg
import pytest
from dagster._core.storage.partition_status_cache import get_and_update_asset_status_cache_value

from orchestration.runs.instance import SHIPPED_DAGSTER_YAML

DAYS = dg.DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-04")


@dg.asset(partitions_def=DAYS, backfill_policy=dg.BackfillPolicy.single_run())
def day_asset(context):
    """Reports every day but the last, then fails, as daily_papers does when one day fails."""
    for key in context.partition_keys[:-1]:
        yield dg.AssetMaterialization(asset_key="day_asset", partition=key)
    raise RuntimeError("the last day could not be fetched")


def failed_days(tmp_path, monkeypatch, subset_flag: bool) -> list[str]:
    home = tmp_path / "dagster"
    home.mkdir()
    shutil.copyfile(SHIPPED_DAGSTER_YAML, home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    if subset_flag:
        monkeypatch.setenv("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "1")
    with dg.DagsterInstance.get() as instance:
        result = dg.materialize(
            [day_asset],
            instance=instance,
            raise_on_error=False,
            tags={"dagster/asset_partition_range_start": "2025-01-01", "dagster/asset_partition_range_end": "2025-01-03"},
        )
        assert not result.success
        status = get_and_update_asset_status_cache_value(instance, dg.AssetKey("day_asset"), DAYS)
        assert status is not None
        assert sorted(status.deserialize_materialized_partition_subsets(DAYS).get_partition_keys()) == [
            "2025-01-01",
            "2025-01-02",
        ]
        return sorted(status.deserialize_failed_partition_subsets(DAYS).get_partition_keys())


@pytest.mark.parametrize(("subset_flag", "failed"), [(False, ["2025-01-03"]), (True, [])])
def test_a_failed_day_is_shown_failed_only_with_one_planned_event_per_partition(tmp_path, monkeypatch, subset_flag, failed):
    assert failed_days(tmp_path, monkeypatch, subset_flag) == failed
