"""The project's own raw -> tables path, called the way the Dagster assets call it.

Days are landed in a raw store (orchestration.raw_store.land_fetch, as the raw asset does) and
loaded by orchestration.assets.tables in ranges of MAX_PARTITIONS_PER_RUN days, as one run of the
tables asset does. Nothing here re-implements the transform or the load.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

log = logging.getLogger("bench")


def import_product() -> None:
    """Import what the load uses (Dagster with the tables asset, and pyarrow, which Polars loads
    lazily on the first hand-over to DuckDB) before a timer starts: ~2 s of imports a run
    worker pays once, not per load, and the floor's and dlt's imports are not timed either."""
    import pyarrow  # noqa: F401

    from orchestration.assets import tables  # noqa: F401


def land_days(raw_dir: Path, fetches: Iterable[tuple[date, list[bytes], datetime]]) -> list[date]:
    """Land each (day, pages, fetched_at) verbatim, as the raw asset does; returns the days."""
    from orchestration.raw_store import land_fetch

    landed = []
    for day, pages, fetched_at in fetches:
        land_fetch(raw_dir, day, fetched_at, f"bench://{day}", pages, -1)
        landed.append(day)
    return landed


def load_landed(con, raw_dir: Path, days: list[date]) -> None:
    """Load landed days with the tables asset's own function, a run's worth of days at a time."""
    from orchestration.assets import tables
    from orchestration.partitions import MAX_PARTITIONS_PER_RUN

    for start in range(0, len(days), MAX_PARTITIONS_PER_RUN):
        chunk = days[start:start + MAX_PARTITIONS_PER_RUN]
        if hasattr(tables, "batches_for_days"):
            tables.load_days(con, raw_dir, chunk, log)
        else:  # the per-day form of the asset before multi-day transforms
            from orchestration.raw_store import list_fetches
            from warehouse.load import replace_partition

            for day in chunk:
                replace_partition(con, tables.batch_for_day(day, list_fetches(raw_dir, day)))  # type: ignore[attr-defined]  # old commits only
