"""The project's own raw -> tables path, called the way the Dagster assets call it.

Days are landed in a raw store (landing.raw_store.land_fetch, as the raw asset does) and
loaded by pipeline.load_days in ranges of MAX_PARTITIONS_PER_RUN days, as one run of the
tables asset does. Nothing here re-implements the transform or the load.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

log = logging.getLogger("bench")


def import_product() -> None:
    """Import what the load uses (the load step, Dagster for the run size, and pyarrow, which
    Polars loads lazily on the first hand-over to DuckDB) before a timer starts: ~2 s of imports
    a run worker pays once, not per load, and the floor's and dlt's imports are not timed either."""
    import pyarrow  # noqa: F401

    import orchestration.partitions  # noqa: F401
    import pipeline.load_days  # noqa: F401


def land_days(raw_dir: Path, fetches: Iterable[tuple[date, list[bytes], datetime]]) -> list[date]:
    """Land each (day, pages, fetched_at) verbatim, as the raw asset does; returns the days."""
    from landing.raw_store import land_fetch

    landed = []
    for day, pages, fetched_at in fetches:
        land_fetch(raw_dir, day, fetched_at, f"bench://{day}", pages, -1)
        landed.append(day)
    return landed


def load_landed(con, raw_dir: Path, days: list[date]) -> None:
    """Load landed days with the asset's own load step, a run's worth of days at a time."""
    from orchestration.partitions import MAX_PARTITIONS_PER_RUN
    from pipeline.load_days import load_days

    for start in range(0, len(days), MAX_PARTITIONS_PER_RUN):
        load_days(con, raw_dir, days[start : start + MAX_PARTITIONS_PER_RUN], log)
