"""The daily schedule's run as a user's machine runs it: `papers backfill` of today and the 14
days before it, as a process through Dagster, into a copy of a published history (10x: ~500k
papers), beside the size of the warehouse file it works on.

"Today" is the day after the history's newest listing date, so the run loads one new day and
re-fetches fourteen it already holds; a history that already ends today (the API serves no later
day) gets all fifteen re-fetched, with no new paper, which the result says (`new_day`). The days
come from the same generator and seed as the history, served by the local stand-in HF server.
The history itself is copied, never written: other measurements read it.

With `--settle`, each copy first gets one daily run of the same days, untimed: the timed run then
starts from the state the previous day's run leaves (schema applied, search index current, the
days' earlier fetches landed), not from the history's, which may predate this code (its first run
applies the schema and looks for edited papers among every paper, once).

Two figures, both printed: the process's wall time (what a user of `papers backfill` waits for,
imports and the Dagster instance's start-up included) and the Dagster runs' own durations, start to
end by the instance's run records: `schedule_run_s` is the load run (`daily_papers_job`), which is
what the daily schedule launches in an already-running instance under the daemon; the search run
that follows it (`search_tables_job`, requested by the automation sensor there) is
`search_run_s`.
"""

from __future__ import annotations

import argparse
import shutil
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

from bench.generate import DEFAULT_SEED, DayGenerator, day_range, write_days
from bench.json_output import print_result
from bench.measure_cli_backfill import cli_backfill
from orchestration.ingest.schedules import TRAILING_DAYS
from warehouse.paths import WarehousePaths
from warehouse.retired import retired_path


def newest_listing_date(published: Path) -> date:
    """The newest listing date in a published warehouse."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        newest = con.execute("SELECT max(listing_date) FROM papers").fetchall()[0][0]
    finally:
        con.close()
    if newest is None:
        raise ValueError(f"{published}: the papers table is empty, there is no history to refresh")
    return newest


def refresh_days(newest: date, today: date) -> list[date]:
    """The days the daily run fetches on a history whose newest listing date is `newest`: the
    next day (never later than `today`) and the TRAILING_DAYS before it, oldest first."""
    return day_range(min(newest + timedelta(days=1), today), TRAILING_DAYS + 1)


def copy_history(history_home: Path, home: Path) -> float:
    """Copy the published and the working warehouse of `history_home` into a fresh `home`, and
    the retired snapshot a publish keeps when there is one (without it the run's first publish
    copies the whole file); return the seconds the copy took (not part of the run)."""
    source, target = WarehousePaths(history_home), WarehousePaths(home)
    if not source.published_path.exists():
        raise FileNotFoundError(f"no published warehouse at {source.published_path}: build the history first (queries_10x)")
    shutil.rmtree(home, ignore_errors=True)
    started = time.perf_counter()
    files = [(source.published_path, target.published_path), (source.working_path, target.working_path)]
    files.append((retired_path(source.published_path), retired_path(target.published_path)))
    for path, copy in files:
        if path.exists():
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, copy)
    return time.perf_counter() - started


def measure_daily_run(
    history_home: Path, work: Path, papers_per_day: int, rounds: int = 1, seed: int = DEFAULT_SEED, settle: bool = False
) -> dict:
    """`rounds` daily runs, each into a fresh copy of the history at `history_home`: wall seconds
    of `papers backfill --start today-14 --end today` from start to exit, where they went, and
    the published file's size before and after. `settle`: one untimed daily run on each copy first."""
    published = WarehousePaths(history_home).published_path
    newest = newest_listing_date(published)
    days = refresh_days(newest, date.today())
    days_dir = work / "days"
    write_days(days_dir, days, DayGenerator(papers_per_day, seed))
    runs = []
    for round_ in range(rounds):
        home = work / f"home_{round_}"
        copy_s = copy_history(history_home, home)
        settled = {"settle_wall_s": cli_backfill(days_dir, days, home)["wall_s"]} if settle else {}
        run = cli_backfill(days_dir, days, home)
        after = WarehousePaths(home).published_path
        runs.append(
            {
                **run,
                **job_seconds(run["run_seconds"]),
                **settled,
                "copy_history_s": copy_s,
                "published_mb_after": after.stat().st_size / 1e6,
            }
        )
        shutil.rmtree(home, ignore_errors=True)
    walls = sorted(run["wall_s"] for run in runs)
    return {
        "command": f"papers backfill --start {days[0].isoformat()} --end {days[-1].isoformat()}",
        "history": str(published),
        "published_mb_before": published.stat().st_size / 1e6,
        "papers_per_day": papers_per_day,
        "new_day": days[-1] > newest,
        "settled": settle,
        "median_wall_s": walls[len(walls) // 2],
        "median_schedule_run_s": _median(run["schedule_run_s"] for run in runs),
        "median_search_run_s": _median(run["search_run_s"] for run in runs),
        "runs": runs,
    }


LOAD_JOB, SEARCH_JOB = "daily_papers_job", "search_tables_job"


def job_seconds(run_seconds: list[dict]) -> dict:
    """Seconds of the load runs (the schedule's run) and of the search runs, by their records."""
    return {
        "schedule_run_s": sum(run["seconds"] for run in run_seconds if run["job"] == LOAD_JOB),
        "search_run_s": sum(run["seconds"] for run in run_seconds if run["job"] == SEARCH_JOB),
    }


def _median(values) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def main(argv: list[str] | None = None) -> int:
    """Command line: measure the daily run on a history home and print (or write) the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--history", type=Path, required=True, help="PAPERS_HOME of a published history (copied, not written)")
    parser.add_argument("--work", type=Path, required=True, help="folder for the day files and the copies")
    parser.add_argument("--papers-per-day", type=int, required=True, help="as the history was generated (10x: 500)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--settle", action="store_true", help="one untimed daily run on each copy before the timed one")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    print_result(measure_daily_run(args.history, args.work, args.papers_per_day, args.rounds, settle=args.settle), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
