"""The search step's own costs on a copy of a published history (10x: ~500k papers), and a
history ready for `bench.measure_daily_run` with the current index format.

1. The history is copied to `<work>/home` (published and working file; the source is only read).
2. `update_derived_tables` on the working file: on a history indexed by an older release this is
   the one-time full build of the new format (the migration); then a publish (checkpoint + copy).
3. An update with nothing changed (what the daily run's search step costs when the re-fetched
   days bring no new or edited paper: finding that out reads every paper's text once).
4. With `--withhold-day`: the newest day's papers are taken out of `papers`, the index updated
   (every one of them removed), and the papers put back unchanged, then published: the index
   then lacks that day, so the next daily run's search step indexes its papers as new ones,
   which is what a real new day costs it.

Prints (or writes) seconds per step as JSON; the prepared home is `<work>/home`.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from bench.json_output import print_result
from bench.measure_daily_run import copy_history
from warehouse.db import connect_writer, scalar
from warehouse.derived import update_derived_tables
from warehouse.paths import WarehousePaths
from warehouse.publish import publish_working


def timed_update(con) -> dict:
    """update_derived_tables with its wall and CPU seconds and what it did."""
    wall, cpu = time.perf_counter(), time.process_time()
    update = update_derived_tables(con)
    return {
        "wall_s": time.perf_counter() - wall,
        "cpu_s": time.process_time() - cpu,
        "search": update.search,
        "similar": update.similar,
        "changed_papers": update.changed_papers,
        "counts": update.counts,
    }


def timed_publish(paths: WarehousePaths) -> dict:
    started = time.perf_counter()
    result = publish_working(paths.working_path, paths.published_path, None)
    return {"wall_s": time.perf_counter() - started, "published_mb": result.size_bytes / 1e6}


def prepare(history: Path, work: Path, withhold_day: bool) -> dict:
    """Copy, migrate, time the steps above; return the figures."""
    home = work / "home"
    result: dict = {"history": str(history), "home": str(home), "load_average_start": os.getloadavg()}
    result["copy_history_s"] = copy_history(history, home)
    paths = WarehousePaths(home)
    started = time.perf_counter()
    con = connect_writer(paths.working_path)  # applies the schema: an older stored search_index is dropped
    result["connect_and_schema_s"] = time.perf_counter() - started
    try:
        result["papers"] = scalar(con, "SELECT count(*) FROM papers")
        result["first_update"] = timed_update(con)
        result["unchanged_update"] = timed_update(con)
        if withhold_day:
            day = scalar(con, "SELECT max(listing_date) FROM papers")
            con.execute("CREATE OR REPLACE TABLE bench_withheld AS SELECT * FROM papers WHERE listing_date = ?", [day])
            con.execute("DELETE FROM papers WHERE listing_date = ?", [day])
            result["withheld_day"] = str(day)
            result["removal_update"] = timed_update(con)
            con.execute("INSERT INTO papers SELECT * FROM bench_withheld")
            con.execute("DROP TABLE bench_withheld")
    finally:
        con.close()
    result["publish"] = timed_publish(paths)
    result["load_average_end"] = os.getloadavg()
    return result


def main(argv: list[str] | None = None) -> int:
    """Command line: prepare and time; print (or write) the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--history", type=Path, required=True, help="PAPERS_HOME of a published history (copied, not written)")
    parser.add_argument("--work", type=Path, required=True, help="folder for the copy (<work>/home)")
    parser.add_argument("--withhold-day", action="store_true", help="leave the newest day out of the index (see above)")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    print_result(prepare(args.history, args.work, args.withhold_day), args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
