"""Failures a user can act on: which days failed, why in plain words, and how to rerun them."""

from __future__ import annotations

from datetime import date

import dagster as dg


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
                + "\n".join(lines) + "\n" + rerun_hint(first, last)
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

    @classmethod
    def from_fetch_errors(cls, errors: dict, landed: list[date]) -> DaysFailed:
        """Build from `FetchError`s keyed by day."""
        return cls({day: str(error) for day, error in errors.items()}, landed)
