"""The freshness check `listing_published_by_deadline` on `published_warehouse`, and its sensor.

The verdict is warehouse/freshness.py: the newest listing day that is due (D is due at D+1
`PAPERS_FRESHNESS_HOUR_UTC`:00 UTC, default 6) must be in the published warehouse. The check is
not partitioned, so the Dagster UI can execute it on its own (its Execute button, or "Execute
all" on the asset's Checks tab): Dagster refuses to execute a partitioned check without
materializing the asset. The sensor records an evaluation every 10 minutes without a run.

Why not Dagster's `build_time_partition_freshness_checks` + `build_sensor_for_freshness_checks`
(checked against Dagster 1.13.27's source, asset_check_factories/freshness_checks/):
- it expects the partition of the last *complete* window at the deadline tick: with our
  `end_offset=1` (today is a partition, HF fills it during the day) that is today's partition,
  not yesterday's, whatever the cron;
- it judges Dagster's event log, not the published file readers open (a load whose publish
  failed, or a warehouse published by another instance, would be misjudged);
- with `HF_API_BASE_URL=sample` the newest partition never arrives, so a fresh sample fails with
  "Asset is overdue" and no word about the sample (issue 16 asks for a pass, or a plain reason);
- its sensor launches a run per evaluation; ours records the evaluation without one.
The built-ins are also superseded in 1.13 (freshness policies). What remains custom here is the
smallest part: one check and one sensor around the verdict.
"""

from datetime import UTC, date, datetime

import dagster as dg

from hf_api.defaults import SAMPLE
from hf_api.sample_replay import bundled_sample_dates
from orchestration.resources import HFApiResource, WarehouseResource
from papers_settings import Settings
from papers_settings.settings import DEFAULT_FRESHNESS_HOUR_UTC as DEFAULT_FRESHNESS_HOUR, FRESHNESS_HOUR_ENV
from warehouse.freshness import FreshnessVerdict, freshness_verdict

PUBLISHED = dg.AssetKey("published_warehouse")
CHECK_NAME = "listing_published_by_deadline"
SENSOR_INTERVAL_S = 600


def freshness_hour(environ: dict | None = None) -> int:
    """The UTC hour by which yesterday's listing must be published (Settings.freshness_hour_utc)."""
    return Settings.from_env(environ).freshness_hour_utc


def evaluation(verdict: FreshnessVerdict) -> dg.AssetCheckEvaluation:
    """The verdict as an evaluation of the check (what the sensor records without a run)."""
    return dg.AssetCheckEvaluation(
        asset_key=PUBLISHED,
        check_name=CHECK_NAME,
        passed=verdict.passed,
        severity=dg.AssetCheckSeverity.WARN,
        description=verdict.description,
        metadata=verdict.metadata,
    )


def _sample_days(hf_api: HFApiResource) -> list[date] | None:
    return bundled_sample_dates() if hf_api.base_url == SAMPLE else None


@dg.asset_check(
    asset=PUBLISHED,
    name=CHECK_NAME,
    description="The newest listing day that is due is in the published warehouse (a day is due "
    f"the next day at {FRESHNESS_HOUR_ENV}:00 UTC, default {DEFAULT_FRESHNESS_HOUR}).",
)
def listing_published_by_deadline(warehouse: WarehouseResource, hf_api: HFApiResource) -> dg.AssetCheckResult:
    """Fails when the newest due listing day is not published, saying how late and how to fix it."""
    verdict = freshness_verdict(
        datetime.now(UTC), freshness_hour(), warehouse.paths.ducklake or warehouse.published_path, _sample_days(hf_api)
    )
    return dg.AssetCheckResult(
        passed=verdict.passed, severity=dg.AssetCheckSeverity.WARN, description=verdict.description, metadata=verdict.metadata
    )


@dg.sensor(
    name="listing_freshness_sensor",
    minimum_interval_seconds=SENSOR_INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Every 10 minutes, records on the listing_published_by_deadline check whether the "
    "newest due listing day is published (no run is launched).",
)
def listing_freshness_sensor(
    context: dg.SensorEvaluationContext, warehouse: WarehouseResource, hf_api: HFApiResource
) -> dg.SensorResult | dg.SkipReason:
    """Evaluate the check; record it when the verdict changed since the last tick."""
    verdict = freshness_verdict(
        datetime.now(UTC), freshness_hour(), warehouse.paths.ducklake or warehouse.published_path, _sample_days(hf_api)
    )
    state = f"{verdict.day.isoformat()}:{'pass' if verdict.passed else 'fail'}"
    if context.cursor == state:
        return dg.SkipReason(f"unchanged: {verdict.description}")
    return dg.SensorResult(asset_events=[evaluation(verdict)], cursor=state)
