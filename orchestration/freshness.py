"""Freshness: is yesterday's listing in the published warehouse by the hour it is due?

Dagster's freshness policies judge an asset as a whole; a daily listing is late or not per
partition. So this is a partitioned asset check on `published_warehouse` (run it for any day from
the asset's Checks tab), plus a sensor that evaluates yesterday's partition periodically and
records the result on the check without launching a run.

A listing day D is due by D+1 at `PAPERS_FRESHNESS_HOUR_UTC`:00 UTC (default 6). Before that it
is not late, so the check passes and says when it is due.
"""

import os
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.partitions import daily_partitions
from orchestration.resources import WarehouseResource
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
    return datetime.combine(day + timedelta(days=1), time(hour), tzinfo=timezone.utc)


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
                "checked_at_utc": now.astimezone(timezone.utc).isoformat(), "published": loaded}
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


def evaluation(verdict: FreshnessVerdict) -> dg.AssetCheckEvaluation:
    """The verdict as a check evaluation on yesterday's partition (what the sensor records)."""
    return dg.AssetCheckEvaluation(
        asset_key=PUBLISHED, check_name=CHECK_NAME, passed=verdict.passed,
        severity=dg.AssetCheckSeverity.WARN, description=verdict.description,
        metadata=verdict.metadata, partition=verdict.day.isoformat(),
    )


@dg.asset_check(
    asset=PUBLISHED,
    name=CHECK_NAME,
    partitions_def=daily_partitions,
    description="The listing day is in the published warehouse by the next day at "
    f"{FRESHNESS_HOUR_ENV}:00 UTC (default {DEFAULT_FRESHNESS_HOUR}).",
)
def listing_published_by_deadline(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    """Fails when a listing of this partition (or range) is late: due, and not published."""
    now, hour = datetime.now(timezone.utc), freshness_hour()
    verdicts = [judge(day, now, hour, day_published(warehouse.published_path, day))
                for day in map(date.fromisoformat, context.partition_keys)]
    return combined_result(verdicts)


def combined_result(verdicts: list[FreshnessVerdict]) -> dg.AssetCheckResult:
    """One result for the days of a step: it fails naming every late day."""
    late = [v for v in verdicts if not v.passed]
    if len(verdicts) == 1:
        only = verdicts[0]
        return dg.AssetCheckResult(passed=only.passed, severity=dg.AssetCheckSeverity.WARN,
                                   description=only.description, metadata=only.metadata)
    description = (f"{len(late)} of {len(verdicts)} days are late: "
                   + "; ".join(v.description for v in late)) if late else (
        f"none of the {len(verdicts)} days is late.")
    return dg.AssetCheckResult(
        passed=not late, severity=dg.AssetCheckSeverity.WARN, description=description,
        metadata={"late_days": dg.MetadataValue.json([v.day.isoformat() for v in late]),
                  "days_checked": len(verdicts)})


def evaluate_yesterday(now: datetime, published_path: Path, hour: int) -> FreshnessVerdict:
    """The verdict for the day before `now` (UTC)."""
    yesterday = now.astimezone(timezone.utc).date() - timedelta(days=1)
    return judge(yesterday, now, hour, day_published(published_path, yesterday))


@dg.sensor(
    name="listing_freshness_sensor",
    minimum_interval_seconds=SENSOR_INTERVAL_S,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Every 10 minutes, records whether yesterday's listing is published by its "
    "deadline on the listing_published_by_deadline check (no run is launched).",
)
def listing_freshness_sensor(
    context: dg.SensorEvaluationContext, warehouse: WarehouseResource
) -> dg.SensorResult | dg.SkipReason:
    """Evaluate yesterday's partition; record it when the verdict changed since the last tick."""
    verdict = evaluate_yesterday(datetime.now(timezone.utc), warehouse.published_path,
                                 freshness_hour())
    state = f"{verdict.day.isoformat()}:{'pass' if verdict.passed else 'fail'}"
    if context.cursor == state:
        return dg.SkipReason(f"unchanged: {verdict.description}")
    return dg.SensorResult(asset_events=[evaluation(verdict)], cursor=state)
