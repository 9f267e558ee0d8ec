"""One fetch + load of a date range from a (local) API server, in its own process.

    python -m bench.fetch_worker {project,dlt} --base-url URL --start D --end D --work DIR

project: HFClient.fetch_day -> raw landing -> the tables asset's load (transforms + load), a run's days
at a time, as the backfill batches them.
dlt: dlt's REST API source (the declarative config a dlt user writes for this API) into DuckDB.
Prints one JSON line: seconds (import time excluded), rows per table, peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import date, timedelta
from pathlib import Path

from bench.peak_memory import own_peak_rss_mb


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def run_project(base_url: str, days: list[date], work: Path) -> dict:
    """Fetch, land and load every day with the project's client, raw store, transforms and load."""
    from bench.measure_load import table_rows
    from bench.project_path import import_product, land_days, load_landed
    from hf_api.client import HFClient
    from warehouse.db import connect_writer

    import_product()
    con = connect_writer(work / "project.duckdb")
    raw_dir = work / "raw"
    start = time.perf_counter()
    with HFClient(base_url, requests_per_second=None) as client:
        fetched = (client.fetch_day(day) for day in days)
        landed = land_days(raw_dir, ((f.listing_date, f.pages, f.fetched_at) for f in fetched))
    load_landed(con, raw_dir, landed)
    con.execute("CHECKPOINT")
    seconds = time.perf_counter() - start
    rows = table_rows(con)
    con.close()
    return {"seconds": seconds, "rows": rows}


def dlt_source(base_url: str, days: list[date]):
    """The REST API source: one request series per listing date, paged with limit/p."""
    import dlt
    from dlt.sources.rest_api import rest_api_source

    @dlt.resource(selected=False)
    def listing_dates():
        yield [{"date": day.isoformat()} for day in days]  # one page: dependent resources take lists

    return rest_api_source(
        {
            "client": {"base_url": base_url},
            "resources": [
                listing_dates,
                {
                    "name": "daily_papers",
                    "include_from_parent": ["date"],
                    "endpoint": {
                        "path": "api/daily_papers",
                        "params": {
                            "date": "{resources.listing_dates.date}",
                            "limit": 100,
                        },
                        "data_selector": "$",
                        "paginator": {"type": "page_number", "page_param": "p", "base_page": 0, "total_path": None},
                    },
                },
            ],
        }
    )


def run_dlt(base_url: str, days: list[date], work: Path) -> dict:
    """Run a dlt pipeline (extract, normalize, load) into a DuckDB file; count its tables."""
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    os.environ.setdefault("RUNTIME__LOG_LEVEL", "WARNING")
    import dlt
    import duckdb

    db_path = work / "dlt.duckdb"
    pipeline = dlt.pipeline(
        pipeline_name="bench_daily_papers",
        pipelines_dir=str(work / "dlt_pipelines"),
        destination=dlt.destinations.duckdb(str(db_path)),
        dataset_name="hf",
    )
    start = time.perf_counter()
    pipeline.run(dlt_source(base_url, days))
    seconds = time.perf_counter() - start
    con = duckdb.connect(str(db_path), read_only=True)
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'hf' "
            "AND table_name NOT LIKE '\\_dlt%' ESCAPE '\\'"
        ).fetchall()
    ]
    rows = {t: con.execute(f'SELECT count(*) FROM hf."{t}"').fetchall()[0][0] for t in sorted(tables)}
    con.close()
    return {"seconds": seconds, "rows": rows}


def main(argv: list[str] | None = None) -> int:
    """Run one side and print its JSON result."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("side", choices=("project", "dlt"))
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--start", type=date.fromisoformat, required=True)
    parser.add_argument("--end", type=date.fromisoformat, required=True)
    parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    runner = run_project if args.side == "project" else run_dlt
    result = runner(args.base_url, _days(args.start, args.end), args.work)
    result["peak_rss_mb"] = own_peak_rss_mb()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
