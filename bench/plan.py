"""How big each measurement is, for a scale and for --quick."""

from __future__ import annotations

from dataclasses import dataclass

BASE_PAPERS_PER_DAY = 50
HISTORY_DAYS = 1_000  # x 50 papers = ~50k, today's history since 2023-05-04


@dataclass(frozen=True)
class BenchPlan:
    """Sizes of every measurement. `scale` multiplies papers per day everywhere."""

    scale: float
    quick: bool
    year_days: int
    per_partition_days: int
    history_days: int
    query_repeats: int

    @property
    def papers_per_day(self) -> int:
        return max(1, round(BASE_PAPERS_PER_DAY * self.scale))

    @property
    def papers_per_day_10x(self) -> int:
        return 10 * self.papers_per_day

    def notes(self) -> list[str]:
        """What this plan shrinks or extrapolates, said in the output."""
        notes = [
            f"one run per partition measured on the last {self.per_partition_days} days into an "
            f"empty warehouse, per-run cost extrapolated linearly to {self.year_days} days (an "
            "understatement: every run publishes, and publishing grows with the history)"
        ]
        if self.quick:
            notes.insert(
                0,
                f"--quick: {self.year_days} days instead of 365 and {self.history_days} "
                f"history days instead of {HISTORY_DAYS}; 365-day figures are extrapolated; "
                "fresh_tab_10x (a real browser) runs only when named in --only",
            )
        return notes


def make_plan(scale: float = 1.0, quick: bool = False) -> BenchPlan:
    """The full benchmark, or the few-minutes --quick one."""
    if scale <= 0:
        raise ValueError(f"--scale must be > 0, got {scale}")
    if quick:
        return BenchPlan(scale, True, year_days=20, per_partition_days=3, history_days=40, query_repeats=5)
    return BenchPlan(scale, False, year_days=365, per_partition_days=10, history_days=HISTORY_DAYS, query_repeats=20)
