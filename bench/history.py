"""A published warehouse of N days of generated history, built with the project's own load code
(transforms + replace_partition), derived tables and publish step, without HTTP or Dagster.

Its vote history is what a user's warehouse holds after a backfill followed by two weeks of the
daily schedule: the backfill saw every older day once, at its end; each schedule run (23:00 UTC)
fetched its day and re-fetched the 14 before it, seeing the upvotes grow (bench.generate.seen_after).
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, time as clock_time, timedelta
from pathlib import Path

from bench.generate import DayGenerator, day_range
from bench.peak_memory import own_peak_rss_mb
from bench.project_path import land_days, load_landed
from orchestration.ingest.schedules import TRAILING_DAYS
from warehouse.db import connect_writer
from warehouse.paths import WarehousePaths


def build_published_history(home: Path, end: date, n_days: int, papers_per_day: int, seed: int, derive: bool = True) -> dict:
    """Generate `n_days` days ending at `end` in memory, load, derive and publish under `home`.

    Returns the published path and the seconds each phase took. derive=False leaves the derived
    tables (search index, similar papers) empty, for a history too big to derive them.
    """
    from warehouse.derived import rebuild_derived_tables
    from warehouse.publish import checkpoint_and_log, publish_file

    generator = DayGenerator(papers_per_day, seed)
    paths = WarehousePaths(home)
    working, published = paths.working_path, paths.published_path
    con = connect_writer(working)
    timings: dict[str, float] = {}
    try:
        started = time.perf_counter()
        days = sorted(set(land_days(home / "raw", history_fetches(generator, end, n_days))))
        landed = time.perf_counter()
        load_landed(con, home / "raw", days)
        timings["generate_and_land_s"] = landed - started
        timings["load_s"] = time.perf_counter() - landed
        started = time.perf_counter()
        derived = rebuild_derived_tables(con) if derive else {"skipped": True}
        timings["derive_s"] = time.perf_counter() - started
        published_at = checkpoint_and_log(con, "bench")
    finally:
        con.close()
    started = time.perf_counter()
    result = publish_file(working, published, published_at)
    timings["publish_s"] = time.perf_counter() - started
    return {
        "path": str(published),
        "papers": result.papers,
        "days": n_days,
        "size_mb": result.size_bytes / 1e6,
        "derived_rows": derived,
        **timings,
    }


def history_fetches(
    generator: DayGenerator, end: date, n_days: int, schedule_days: int = TRAILING_DAYS
) -> Iterator[tuple[date, list[bytes], datetime]]:
    """(day, pages, fetched_at) of a backfill of the days up to `end - schedule_days`, then of
    `schedule_days` daily runs up to `end`, each fetching its day and the trailing days."""
    days = day_range(end, n_days)
    backfill_day = end - timedelta(days=schedule_days)
    run_time = lambda run: datetime.combine(run, clock_time(23), UTC)  # noqa: E731
    for day in days:
        if day <= backfill_day:
            yield day, [generator.day_bytes(day, (backfill_day - day).days)], run_time(backfill_day)
    for run in (backfill_day + timedelta(days=k) for k in range(1, schedule_days + 1)):
        for day in days:
            if 0 <= (run - day).days <= TRAILING_DAYS:
                yield day, [generator.day_bytes(day, (run - day).days)], run_time(run)


def main(argv: list[str] | None = None) -> int:
    """Build one history warehouse (run in its own process by the benchmark) and print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--end", type=date.fromisoformat, required=True)
    parser.add_argument("--days", type=int, required=True)
    parser.add_argument("--papers-per-day", type=int, required=True)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--no-derive", action="store_true", help="leave search/similar tables empty")
    args = parser.parse_args(argv)

    result = build_published_history(args.home, args.end, args.days, args.papers_per_day, args.seed, derive=not args.no_derive)
    result["peak_rss_mb"] = own_peak_rss_mb()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
