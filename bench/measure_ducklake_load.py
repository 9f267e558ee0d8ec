"""Load into DuckLake: the same raw days and the same load code as bench/measure_load.py's
project load, into a DuckLake warehouse whose catalog is a PostgreSQL server started for it
(bench/postgres_server.py) and whose Parquet files go under the work folder."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.measure_load import day_files, table_rows


def ducklake_load(days_dir: Path, work: Path, dsn: str) -> dict:
    """Land the days (untimed), then time the load into a new lake; seconds and rows."""
    from bench.project_path import import_product, land_days, load_landed
    from warehouse.db import connect_lake_writer
    from warehouse.paths import DuckLakeLocation

    import_product()
    raw_dir = work / "raw"
    days = land_days(raw_dir, ((day, [path.read_bytes()], datetime.now(UTC)) for day, path in day_files(days_dir)))
    con = connect_lake_writer(DuckLakeLocation(catalog=f"postgres:{dsn}", data_path=str(work / "lake")))
    try:
        start = time.perf_counter()
        load_landed(con, raw_dir, days)  # each run's days commit in one DuckLake transaction
        seconds = time.perf_counter() - start
        rows = table_rows(con)
    finally:
        con.close()
    return {"seconds": seconds, "rows": rows, "days": len(days)}


def measure_ducklake_load(days_dir: Path, work_dir: Path, rounds: int = 3) -> dict:
    """`rounds` loads into fresh lakes (a database each); the median seconds, or why skipped."""
    from bench.postgres_server import postgres_database

    runs = []
    try:
        for round_ in range(rounds):
            with postgres_database(f"bench_lake_{round_}") as dsn:
                runs.append(ducklake_load(days_dir, work_dir / f"ducklake_{round_}", dsn))
    except FileNotFoundError as missing:
        return {"skipped": str(missing)}
    seconds = [run["seconds"] for run in runs]
    median = statistics.median_low(seconds)
    chosen = runs[seconds.index(median)]
    rows_total = sum(chosen["rows"].values())
    return {**chosen, "seconds_each_round": seconds, "rows_total": rows_total, "rows_per_s": rows_total / median}
