"""What if warehouse/load.py replaced a run's whole range of days in one transaction?

A proposal for the integrator, measured side by side with the current per-day load on the same
transformed batches (transforms excluded, so only the load differs). Same guarantees as
replace_partition: a rerun never duplicates (delete by day and by incoming paper id, then
insert), a crash never leaves half a day (the whole range commits or none of it does), an
empty answer never wipes a day that has rows, and a paper listed on two days of the range ends
up on the later one (as loading the days in order does). Not used by the product.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

UPSERT_KEYS = {"authors": "author_id", "submitters": "username", "organizations": "organization"}


def replace_partitions(con, batches: list) -> int:
    """Replace every day of `batches` (warehouse.load.PartitionBatch) in one transaction; returns
    the number of days replaced."""
    from warehouse.load import UPSERTED_TABLES, _upsert

    days = [b.listing_date for b in batches]
    had_rows = {d for d, n in con.execute(
        "SELECT listing_date, count(*) FROM papers WHERE listing_date = ANY(?) GROUP BY 1", [days]
    ).fetchall() if n}
    kept = [b for b in batches if b.papers.height or b.listing_date not in had_rows]
    if not kept:
        return 0
    cat = lambda name: pl.concat([getattr(b, name) for b in kept], how="vertical_relaxed")  # noqa: E731
    papers = cat("papers").unique(subset="paper_id", keep="last", maintain_order=True)
    winners = papers.select("paper_id", "listing_date")
    frames = {
        "papers": papers,
        "paper_authors": cat("paper_authors").join(winners, on=["paper_id", "listing_date"], how="semi"),
        "votes": cat("votes").join(winners, on=["paper_id", "listing_date"], how="semi"),
        "quarantined_records": cat("quarantined_records"),
        **{t: cat(t).unique(subset=k, keep="last") for t, k in UPSERT_KEYS.items()},
        "loads": pl.DataFrame({
            "listing_date": [b.listing_date for b in kept],
            "fetched_at": [b.fetched_at.astimezone(timezone.utc).replace(tzinfo=None) for b in kept],
            "fetch_count": [b.fetch_count for b in kept], "raw_records": [b.raw_records for b in kept],
            "loaded_papers": [b.papers.height for b in kept],
            "quarantined": [b.quarantined_records.height for b in kept],
            "loaded_at": datetime.now(timezone.utc).replace(tzinfo=None),
        }),
    }
    for name, frame in frames.items():
        con.register(f"incoming_{name}", frame.to_arrow())
    kept_days = [b.listing_date for b in kept]
    try:
        con.execute("BEGIN TRANSACTION")
        try:
            for table in ("paper_authors", "papers", "votes"):
                con.execute(f"DELETE FROM {table} WHERE listing_date = ANY(?) "
                            "OR paper_id IN (SELECT paper_id FROM incoming_papers)", [kept_days])
            con.execute("DELETE FROM quarantined_records WHERE listing_date = ANY(?)", [kept_days])
            for table in ("papers", "paper_authors", "votes", "quarantined_records"):
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming_{table}")
            for table, (key, update) in UPSERTED_TABLES.items():
                _upsert(con, table, key, update)
            con.execute("INSERT OR REPLACE INTO partition_loads BY NAME SELECT * FROM incoming_loads")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        for name in frames:
            con.unregister(f"incoming_{name}")
    return len(kept)


def measure_what_if(days_dir: Path, work: Path) -> dict:
    """Current per-day load vs one transaction per run's range, on the same batches."""
    from bench.measure_load import day_files, table_rows
    from bench.project_path import land_days
    from orchestration.assets.tables import batches_for_days
    from orchestration.partitions import MAX_PARTITIONS_PER_RUN
    from warehouse.db import connect_writer
    from warehouse.load import replace_partition

    raw_dir = work / "raw"
    fetched_at = datetime.now(timezone.utc)
    days = land_days(raw_dir, ((d, [p.read_bytes()], fetched_at) for d, p in day_files(days_dir)))
    started = time.perf_counter()
    chunks = [batches_for_days(raw_dir, days[i:i + MAX_PARTITIONS_PER_RUN])
              for i in range(0, len(days), MAX_PARTITIONS_PER_RUN)]
    transform_s = time.perf_counter() - started
    result = {"transform_s": transform_s, "days": len(days)}
    for name, load in (("per_day", lambda con, chunk: [replace_partition(con, b) for b in chunk]),
                       ("per_range", replace_partitions)):
        con = connect_writer(work / f"{name}.duckdb")
        started = time.perf_counter()
        for chunk in chunks:
            load(con, chunk)
        con.execute("CHECKPOINT")
        result[f"{name}_load_s"] = time.perf_counter() - started
        result[f"{name}_rows"] = table_rows(con)
        con.close()
    result["same_rows"] = result["per_day_rows"] == result["per_range_rows"]
    return result
