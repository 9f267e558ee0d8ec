"""Is the newest listing day that is due in the published warehouse? (the verdict, no Dagster)

A listing day D is due by D+1 at `hour`:00 UTC. The newest day that is due at a moment is
yesterday once its deadline has passed, else the day before. The verdict reads the published
snapshot (read-only, so it never blocks a run) and says in words what is late and how to fix it.
With the bundled sample as the source, the newest day it serves is what must be published, and
the verdict says that the sample is a fixed set of past days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import duckdb

from warehouse import ducklake
from warehouse.migrate import ensure_readable
from warehouse.paths import DuckLakeLocation


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
    metadata = {
        "listing_date": day.isoformat(),
        "due_at_utc": due.isoformat(),
        "checked_at_utc": now.astimezone(UTC).isoformat(),
        "published": loaded,
    }
    if loaded:
        return FreshnessVerdict(day, True, f"{day} is in the published warehouse.", metadata)
    if now < due:
        return FreshnessVerdict(day, True, f"{day} is not published yet; it is due at {due:%Y-%m-%d %H:%M} UTC.", metadata)
    late_by = now - due
    return FreshnessVerdict(
        day,
        False,
        (
            f"{day} is not in the published warehouse; it was due at {due:%Y-%m-%d %H:%M} UTC "
            f"({_hours(late_by)} late). Backfill it: `papers backfill --start {day} --end {day}`, or "
            "in the Dagster UI, Assets > published_warehouse > Materialize, partition " + str(day) + "."
        ),
        metadata,
    )


def _hours(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} days"


def day_published(published_path: Path | DuckLakeLocation, day: date) -> bool:
    """Whether the published snapshot (of the file, or of the DuckLake warehouse) holds a load of
    listing `day` (read-only, never blocks)."""
    if isinstance(published_path, DuckLakeLocation):
        try:
            con = ducklake.connect_reader(published_path)
        except ducklake.NoPublishedSnapshot:
            return False
    elif not Path(published_path).exists():
        return False
    else:
        ensure_readable(Path(published_path))
        con = duckdb.connect(str(published_path), read_only=True)
    with con:
        rows = con.execute("SELECT count(*) FROM partition_loads WHERE listing_date = ?", [day]).fetchall()
    return rows[0][0] > 0


def newest_due_day(now: datetime, hour: int) -> date:
    """The newest listing day whose deadline has passed at `now`."""
    yesterday = now.astimezone(UTC).date() - timedelta(days=1)
    return yesterday if now >= deadline_for(yesterday, hour) else yesterday - timedelta(days=1)


def sample_verdict(
    now: datetime, hour: int, published_path: Path | DuckLakeLocation, sample_days: list[date]
) -> FreshnessVerdict:
    """The verdict when the source is the bundled sample: its newest day (up to the newest due
    one) must be published; the description says the sample is a fixed set of past days."""
    due = newest_due_day(now, hour)
    servable = [d for d in sample_days if d <= due]
    newest = max(servable) if servable else None
    loaded = newest is not None and day_published(published_path, newest)
    about = (
        f"HF_API_BASE_URL=sample: the source is the bundled sample, a fixed set of "
        f"{len(sample_days)} past days ({', '.join(map(str, sample_days))}), so the newest day it "
        f"can serve is {newest}. Freshness against yesterday's listing (due "
        f"{deadline_for(due, hour):%Y-%m-%d %H:%M} UTC) is judged only with the real API "
        "(`papers up --live`)."
    )
    metadata = {
        "source": "bundled sample",
        "expected_listing_date": str(newest),
        "published": loaded,
        "checked_at_utc": now.astimezone(UTC).isoformat(),
    }
    if loaded and newest is not None:
        return FreshnessVerdict(newest, True, f"{newest} is in the published warehouse. {about}", metadata)
    return FreshnessVerdict(
        newest or due, False, f"{newest} is not in the published warehouse: run `papers up` to load the sample. {about}", metadata
    )


def freshness_verdict(
    now: datetime, hour: int, published_path: Path | DuckLakeLocation, sample_days: list[date] | None = None
) -> FreshnessVerdict:
    """The verdict for the newest day that is due at `now` (`sample_days`: the bundled days, when
    the source is the sample)."""
    if sample_days is not None:
        return sample_verdict(now, hour, published_path, sample_days)
    day = newest_due_day(now, hour)
    return judge(day, now, hour, day_published(published_path, day))
