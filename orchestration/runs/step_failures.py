"""Step failures a user can act on: which days failed and how to rerun them; a full disk.

Both are `dg.Failure`s with `allow_retries=False`: a retry would meet the same answer again."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import dagster as dg

from pipeline.disk_full import disk_full_message, is_disk_full


def rerun_hint(first_day: str, last_day: str) -> str:
    """The two ways to rerun a range of days."""
    return (
        f"Rerun with `papers backfill --start {first_day} --end {last_day}`, or in the Dagster UI: "
        "Assets > raw_daily_papers > Materialize, select those partitions (launch from the asset "
        "page so the backfill policy batches them)."
    )


class DaysFailed(dg.Failure):
    """Some days of a range could not be fetched; the others were landed and are kept."""

    def __init__(self, reasons: dict[str, str], landed: list[date]):
        self.reasons = reasons
        lines = [f"- {day}: {reason}" for day, reason in sorted(reasons.items())]
        first, last = min(reasons), max(reasons)
        super().__init__(
            description=(
                f"{len(reasons)} day(s) failed to fetch; {len(landed)} other day(s) of this range "
                "were fetched and kept, and nothing already in the warehouse was changed.\n"
                + "\n".join(lines)
                + "\n"
                + rerun_hint(first, last)
            ),
            metadata={
                "failed_days": dg.MetadataValue.json(reasons),
                "landed_days": len(landed),
            },
            # The HTTP client already retried each day; a step retry would only repeat the same
            # answers and bury this message under "Exceeded max_retries". Unexpected errors
            # (disk, DuckDB) still go through the step's retry policy.
            allow_retries=False,
        )


class DiskFull(dg.Failure):
    """No space left where the step writes; never retried (the disk stays full)."""

    def __init__(self, message: str):
        super().__init__(description=message, allow_retries=False)


@contextmanager
def disk_full_reported(where: Path) -> Iterator[None]:
    """Turn a full-disk error raised in the block into DiskFull with `disk_full_message`."""
    try:
        yield
    except Exception as error:
        if is_disk_full(error):
            raise DiskFull(disk_full_message(error, where)) from error
        raise
