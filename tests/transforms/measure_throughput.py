"""Measure build_listing_tables on a year of synthetic days made from the real fixtures (not a test).

Run: .venv/bin/python tests/transforms/measure_throughput.py [days]
Prints rows/s for the transform and, for scale, DuckDB's read_json of the same files.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

from transforms import ListingFetch, build_listing_tables, build_listing_tables_for_days, vote_observations

SAMPLE_API_DIR = Path(__file__).resolve().parents[2] / "hf_api" / "sample_days"


def write_synthetic_days(folder: Path, days: int) -> list[tuple[date, Path]]:
    """One file per day, cycling through the fixture eras; paper ids get a per-day suffix."""
    fixtures = [path.read_bytes() for path in sorted(SAMPLE_API_DIR.glob("daily_papers_*.json"))]
    first = date(2024, 1, 1)
    written = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        body = fixtures[offset % len(fixtures)].replace(b'"id": "', f'"id": "d{offset}-'.encode())
        path = folder / f"daily_papers_{day.isoformat()}.json"
        path.write_bytes(body)
        written.append((day, path))
    return written


def main(days: int) -> None:
    fetched_at = datetime(2026, 1, 1, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        files = write_synthetic_days(Path(tmp), days)
        megabytes = sum(path.stat().st_size for _, path in files) / 1e6

        started = time.perf_counter()
        papers = slots = 0
        for day, path in files:
            tables = build_listing_tables([path.read_bytes()], day, fetched_at)
            papers += tables.papers.height
            slots += tables.paper_authors.height
        transform_s = time.perf_counter() - started

        started = time.perf_counter()
        batch = build_listing_tables_for_days([ListingFetch(day, fetched_at, [path.read_bytes()]) for day, path in files])
        batch_s = time.perf_counter() - started
        assert sum(tables.papers.height for tables in batch.values()) == papers

        started = time.perf_counter()
        votes = sum(vote_observations([path.read_bytes()], day, fetched_at).height for day, path in files)
        votes_s = time.perf_counter() - started

        started = time.perf_counter()
        with duckdb.connect() as con:
            con.execute("CREATE TABLE raw AS SELECT * FROM read_json(?)", [f"{tmp}/*.json"])
            duck_rows = con.execute("SELECT count(*) FROM raw").fetchone()[0]
        duck_s = time.perf_counter() - started

    print(f"{days} days, {megabytes:.1f} MB, {papers} papers, {slots} author slots")
    print(
        f"build_listing_tables: {transform_s:.2f} s  ({papers / transform_s:,.0f} papers/s, "
        f"{slots / transform_s:,.0f} author slots/s, {megabytes / transform_s:.1f} MB/s)"
    )
    print(
        f"build_listing_tables_for_days (one call): {batch_s:.2f} s  ({papers / batch_s:,.0f} papers/s, "
        f"{slots / batch_s:,.0f} author slots/s)  ratio to duckdb {batch_s / duck_s:.2f}x"
    )
    print(f"vote_observations:    {votes_s:.2f} s  ({votes / votes_s:,.0f} rows/s)")
    print(f"duckdb read_json:     {duck_s:.2f} s  ({duck_rows / duck_s:,.0f} items/s)  per-day ratio {transform_s / duck_s:.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 365)
