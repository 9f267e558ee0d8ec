"""The publish of a 10x warehouse after a daily run's change: the full copy beside the exchange
with the retired snapshot (warehouse/publish.py), alternated in one command.

1. The working file of a history (`<history>/work/warehouse.duckdb`, else its published file) is
   copied to `<work>/home/work/` (the history is only read).
2. It is published twice, with a daily change before the second (a full copy each: nothing
   published yet, then no retired snapshot yet), so a retired snapshot exists as after any run.
3. Each round applies a daily change and publishes by full copy, then another change and publishes
   by exchange (the order swaps every round). A daily change is what the schedule's run does to
   the warehouse: the newest day and the 14 before it re-fetched (the history's own generator and
   seed, new upvotes), landed and loaded by the product's load step, the search tables updated,
   the publish logged and the file checkpointed. Only `publish_file` is timed.
4. At the end, the retired and the published file (one change apart) are compared at several
   chunk sizes without writing: how many bytes an exchange would rewrite, and the read time.

Prints (and with --out writes) the JSON; removes `<work>/home` unless --keep.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import time
from datetime import UTC, date, datetime, time as clock_time, timedelta
from pathlib import Path

from bench.generate import DEFAULT_SEED, DayGenerator
from bench.json_output import print_result
from bench.measure_daily_run import newest_listing_date, refresh_days
from bench.project_path import import_product, land_days, load_landed
from warehouse.paths import WarehousePaths

CHUNK_SIZES = (256 << 10, 1 << 20, 4 << 20)


def daily_change(paths: WarehousePaths, generator: DayGenerator, days: list[date], fetched_at: datetime):
    """Re-fetch `days` as seen at `fetched_at`, load them, update the search tables, log and
    checkpoint (as a run does before its publish); seconds it took and the publish time."""
    from warehouse.db import connect_writer
    from warehouse.derived import update_derived_tables
    from warehouse.publish import checkpoint_and_log

    started = time.perf_counter()
    fetches = [(day, [generator.day_bytes(day, (fetched_at.date() - day).days)], fetched_at) for day in days]
    land_days(paths.raw_dir, fetches)
    con = connect_writer(paths.working_path)
    try:
        load_landed(con, paths.raw_dir, days)
        update_derived_tables(con)
        published_at = checkpoint_and_log(con, "bench.measure_publish")
    finally:
        con.close()
    return time.perf_counter() - started, published_at


def timed_publish(paths: WarehousePaths, published_at: datetime, exchange: bool) -> dict:
    """One `publish_file` with its wall and CPU seconds and which way it went."""
    from warehouse.publish import publish_file

    load = os.getloadavg()
    wall, cpu = time.perf_counter(), time.process_time()
    result = publish_file(paths.working_path, paths.published_path, published_at, exchange=exchange)
    return {
        "asked": "exchange" if exchange else "full copy",
        "wall_s": round(time.perf_counter() - wall, 3),
        "cpu_s": round(time.process_time() - cpu, 3),
        "how": result.how,
        "bytes_written": result.bytes_written,
        "chunks_rewritten": result.chunks_rewritten,
        "size_bytes": result.size_bytes,
        "load_average_before": load,
    }


def compare_chunks(a: Path, b: Path, chunk_bytes: int) -> dict:
    """Bytes in the chunks of `a` that differ from `b` (what an exchange would write), and the
    seconds reading and comparing both took, the way warehouse/chunk_sync.py reads (into two
    reusable buffers); writes nothing."""
    started = time.perf_counter()
    differing = chunks = 0
    x, y = bytearray(chunk_bytes), bytearray(chunk_bytes)
    with open(a, "rb", buffering=0) as fa, open(b, "rb", buffering=0) as fb:
        while n := fa.readinto(x):
            chunks += 1
            got = fb.readinto(y)
            same = got == n and (x == y if n == chunk_bytes else x[:n] == y[:n])
            differing += not same
    return {
        "chunk_kib": chunk_bytes >> 10,
        "chunks": chunks,
        "chunks_differing": differing,
        "mb_to_write": round(differing * chunk_bytes / 1e6, 1),
        "compare_s": round(time.perf_counter() - started, 2),
    }


def measure(history: Path, work: Path, papers_per_day: int, rounds: int, keep: bool) -> dict:
    """Copy, set up, alternate the two ways `rounds` times; the figures."""
    import_product()
    logging.getLogger("bench").setLevel(logging.WARNING)
    source = WarehousePaths(history)
    source_file = source.working_path if source.working_path.exists() else source.published_path
    paths = WarehousePaths(work / "home")
    shutil.rmtree(paths.home, ignore_errors=True)
    paths.working_path.parent.mkdir(parents=True)
    result: dict = {"history": str(source_file), "load_average_start": os.getloadavg()}
    started = time.perf_counter()
    shutil.copyfile(source_file, paths.working_path)
    result["copy_history_s"] = round(time.perf_counter() - started, 1)
    try:
        newest = newest_listing_date(source.published_path if source.published_path.exists() else source_file)
        days = refresh_days(newest, date.today())
        generator = DayGenerator(papers_per_day, DEFAULT_SEED)
        # Each change is the next day's run: later fetches, upvotes grown (bench.generate.seen_after).
        first_run = max(days[-1], newest) + timedelta(days=1)
        changes = (datetime.combine(first_run + timedelta(days=k), clock_time(23), UTC) for k in range(10_000))
        result["refetched_days"] = [days[0].isoformat(), days[-1].isoformat()]
        setup = [timed_publish(paths, datetime.now(UTC), exchange=True)]
        change_s, at = daily_change(paths, generator, days, next(changes))
        setup.append({**timed_publish(paths, at, exchange=True), "change_s": round(change_s, 1)})
        result["setup_publishes"] = setup
        publishes = []
        for round_ in range(rounds):
            for exchange in (False, True) if round_ % 2 == 0 else (True, False):
                change_s, at = daily_change(paths, generator, days, next(changes))
                publishes.append({**timed_publish(paths, at, exchange), "round": round_, "change_s": round(change_s, 1)})
                print(publishes[-1], flush=True)
        result["publishes"] = publishes
        result["summary"] = summary(publishes)
        retired = paths.published_path.with_name(f".{paths.published_path.name}.retired")
        result["chunk_sizes_one_change_apart"] = [compare_chunks(paths.published_path, retired, size) for size in CHUNK_SIZES]
    finally:
        result["load_average_end"] = os.getloadavg()
        if not keep:
            shutil.rmtree(paths.home, ignore_errors=True)
    return result


def summary(publishes: list[dict]) -> dict:
    """Median seconds and bytes written per way, and the copy/exchange ratio of the medians."""
    by_way = {}
    for asked in ("full copy", "exchange"):
        mine = [p for p in publishes if p["asked"] == asked]
        by_way[asked] = {
            "median_wall_s": statistics.median(p["wall_s"] for p in mine),
            "median_mb_written": round(statistics.median(p["bytes_written"] for p in mine) / 1e6, 1),
            "took": sorted({p["how"].split(":")[0] for p in mine}),
        }
    copy, exchange = by_way["full copy"], by_way["exchange"]
    by_way["copy_over_exchange_wall"] = round(copy["median_wall_s"] / exchange["median_wall_s"], 2)
    return by_way


def main(argv: list[str] | None = None) -> int:
    """Command line: measure and print (or write) the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--history", type=Path, required=True, help="PAPERS_HOME of a history (only read)")
    parser.add_argument("--work", type=Path, required=True, help="folder for the copy (<work>/home, removed at the end)")
    parser.add_argument("--papers-per-day", type=int, required=True, help="as the history was generated (10x: 500)")
    parser.add_argument("--rounds", type=int, default=2, help="pairs of publishes (one each way)")
    parser.add_argument("--keep", action="store_true", help="keep <work>/home")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    print_result(measure(args.history, args.work, args.papers_per_day, args.rounds, args.keep), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
