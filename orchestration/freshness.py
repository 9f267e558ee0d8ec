"""Freshness: is the newest listing day that is due in the published warehouse?

A listing day D is due by D+1 at `PAPERS_FRESHNESS_HOUR_UTC`:00 UTC (default 6). The check
`listing_published_by_deadline` on `published_warehouse` looks at the newest day that is due now
(yesterday once its deadline has passed, else the day before) and fails when that day is not
published. It is not partitioned, so the Dagster UI can execute it on its own (its Execute
button, or "Execute all" on the asset's Checks tab): Dagster refuses to execute a partitioned
check without materializing the asset. A sensor evaluates it every 10 minutes without a run.

With `HF_API_BASE_URL=sample` the source serves only the bundled days, so the newest day that is
due is the newest bundled day: a freshly loaded sample passes, and the description says that
the sample is a fixed set of past days.

Dagster's `build_time_partition_freshness_checks` was considered: it judges Dagster's event log
rather than the published file, expects today's partition (our partitions end one day ahead,
`end_offset=1`), knows nothing of the sample, and is superseded in 1.13.
"""

import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.hf_client_env import SAMPLE
from orchestration.resources import HFApiResource, WarehouseResource
from orchestration.sample_api import bundled_sample_dates
from warehouse.migrate import ensure_readable

FRESHNESS_HOUR_ENV = "PAPERS_FRESHNESS_HOUR_UTC"
DEFAULT_FRESHNESS_HOUR = 6
PUBLISHED = dg.AssetKey("published_warehouse")
CHECK_NAME = "listing_published_by_deadline"
SENSOR_INTERVAL_S = 600


def freshness_hour(environ: dict | None = None) -> int:
    """The UTC hour by which yesterday's listing must be published (env PAPERS_FRESHNESS_HOUR_UTC)."""
    raw = (os.environ if environ is None else environ).get(FRESHNESS_HOUR_ENV, "").strip()
    if not raw:
        return DEFAULT_FRESHNESS_HOUR
    if not raw.isdigit() or not 0 <= int(raw) <= 23:
        raise ValueError(f"{FRESHNESS_HOUR_ENV}={raw!r}: expected a whole hour from 0 to 23 (UTC)")
    return int(raw)


def deadline_for(day: date, hour: int) -> datetime:
    """When listing `day` is due: the next day at `hour`:00 UTC."""
    return datetime.combine(day + timedelta(days=1), time(hour), tzinfo=UTC)


@dataclass(frozen=True)
class FreshnessVerdict:
    """The outcome for one listing day, in words a user can act on."""

    day: date
    passed: bool
    description: str
    metadata: dict = field(default_factory=dict)


def judge(day: date, now: datetime, hour: int, loaded: bool) -> FreshnessVerdict:
    """Pass when `day` is published, or when it is not due yet; fail once it is late."""
    due = deadline_for(day, hour)
    metadata = {"listing_date": day.isoformat(), "due_at_utc": due.isoformat(),
                "checked_at_utc": now.astimezone(UTC).isoformat(), "published": loaded}
    if loaded:
        return FreshnessVerdict(day, True, f"{day} is in the published warehouse.", metadata)
    if now < due:
        return FreshnessVerdict(day, True, f"{day} is not published yet; it is due at {due:%Y-%m-%d %H:%M} UTC.", metadata)
    late_by = now - due
    return FreshnessVerdict(day, False, (
        f"{day} is not in the published warehouse; it was due at {due:%Y-%m-%d %H:%M} UTC "
        f"({_hours(late_by)} late). Backfill it: `papers backfill --start {day} --end {day}`, or "
        "in the Dagster UI, Assets > published_warehouse > Materialize, partition " + str(day)
        + "."), metadata)


def _hours(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} days"


def day_published(published_path: Path, day: date) -> bool:
    """Whether the published snapshot holds a load of listing `day` (read-only, never blocks)."""
    if not Path(published_path).exists():
        return False
    ensure_readable(Path(published_path))
    with duckdb.connect(str(published_path), read_only=True) as con:
        rows = con.execute("SELECT count(*) FROM partition_loads WHERE listing_date = ?",
                           [day]).fetchall()
    return rows[0][0] > 0


def newest_due_day(now: datetime, hour: int) -> date:
    """The newest listing day whose deadline has passed at `now`."""
    yesterday = now.astimezone(UTC).date() - timedelta(days=1)
    return yesterday if now >= deadline_for(yesterday, hour) else yesterday - timedelta(days=1)


def sample_verdict(now: datetime, hour: int, published_path: Path, sample_days: list[date]) -> FreshnessVerdict:
    """The verdict when the source is the bundled sample: its newest day (up to the newest due
    one) must be published; the description says the sample is a fixed set of past days."""
    due = newest_due_day(now, hour)
    servable = [d for d in sample_days if d <= due]
    newest = max(servable) if servable else None
    loaded = newest is not None and day_published(published_path, newest)
    about = (f"HF_API_BASE_URL=sample: the source is the bundled sample, a fixed set of "
             f"{len(sample_days)} past days ({', '.join(map(str, sample_days))}), so the newest day it "
             f"can serve is {newest}. Freshness against yesterday's listing (due "
             f"{deadline_for(due, hour):%Y-%m-%d %H:%M} UTC) is judged only with the real API "
             "(`papers up --live`).")
    metadata = {"source": "bundled sample", "expected_listing_date": str(newest), "published": loaded,
                "checked_at_utc": now.astimezone(UTC).isoformat()}
    if loaded and newest is not None:
        return FreshnessVerdict(newest, True, f"{newest} is in the published warehouse. {about}", metadata)
    return FreshnessVerdict(newest or due, False, f"{newest} is not in the published warehouse: run "
                            f"`papers up` to load the sample. {about}", metadata)


def freshness_verdict(now: datetime, hour: int, published_path: Path,
                      sample_days: list[date] | None = None) -> FreshnessVerdict:
    """The verdict for the newest day that is due at `now` (`sample_days`: the bundled days, when
    the source is the sample)."""
    if sample_days is not None:
        return sample_verdict(now, hour, published_path, sample_days)
    day = newest_due_day(now, hour)
    return judge(day, now, hour, day_published(published_path, day))


def evaluation(verdict: FreshnessVerdict) -> dg.AssetCheckEvaluation:
    """The verdict as an evaluation of the check (what the sensor records without a run)."""
    return dg.AssetCheckEvaluation(
        asset_key=PUBLISHED, check_name=CHECK_NAME, passed=verdict.passed,
        severity=dg.AssetCheckSeverity.WARN, description=verdict.description,
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
def listing_published_by_deadline(
    warehouse: WarehouseResource, hf_api: HFApiResource
) -> dg.AssetCheckResult:
    """Fails when the newest due listing day is not published, saying how late and how to fix it."""
    verdict = freshness_verdict(datetime.now(UTC), freshness_hour(),
                                warehouse.published_path, _sample_days(hf_api))
    return dg.AssetCheckResult(passed=verdict.passed, severity=dg.AssetCheckSeverity.WARN,
                               description=verdict.description, metadata=verdict.metadata)


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
    verdict = freshness_verdict(datetime.now(UTC), freshness_hour(),
                                warehouse.published_path, _sample_days(hf_api))
    state = f"{verdict.day.isoformat()}:{'pass' if verdict.passed else 'fail'}"
    if context.cursor == state:
        return dg.SkipReason(f"unchanged: {verdict.description}")
    return dg.SensorResult(asset_events=[evaluation(verdict)], cursor=state)
