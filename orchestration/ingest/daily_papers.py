"""The ingest path as one Dagster step: fetch -> land raw -> transform + load -> search -> publish.

One step for the three stages, because Dagster records success per step, not per day, inside a
ranged run (dagster-io/dagster#17836): here each stage reports each day it completed, so a day
that cannot be fetched fails alone while the other days of the range load and publish.
"""

from datetime import date

import dagster as dg

from orchestration.ingest.descriptions import PUBLISHED_DESCRIPTION, RAW_DESCRIPTION, TABLE_DESCRIPTIONS
from orchestration.ingest.table_checks import TABLE_CHECK_SPECS, table_check_results
from orchestration.ingest.table_metadata import table_metadata
from orchestration.partitions import DUCKDB_WRITER_POOL, backfill_policy, daily_partitions
from orchestration.resources import HFApiResource, WarehouseResource
from orchestration.runs.interrupts import stop_on_signals
from orchestration.runs.step_failures import DaysFailed, disk_full_reported
from orchestration.text_search.search_tables import index_before_publish
from pipeline.fetch_ahead import FetchAhead
from pipeline.fetch_days import FetchOutcome, backfill_id, fetch_and_land
from pipeline.landed_stream import LandedStream
from pipeline.lander import lander_for, take_landed
from pipeline.load_days import load_chunks
from warehouse.backend import open_writer, publish

RAW, PUBLISHED = dg.AssetKey("raw_daily_papers"), dg.AssetKey("published_warehouse")
TABLE_KEYS = [dg.AssetKey(name) for name in TABLE_DESCRIPTIONS]


def _spec(key: dg.AssetKey, description: str, deps, group: str, kinds: set[str]) -> dg.AssetSpec:
    return dg.AssetSpec(key, description=description, deps=deps, group_name=group, kinds=kinds, partitions_def=daily_partitions)


SPECS = [
    _spec(RAW, RAW_DESCRIPTION, [], "ingest", {"json"}),
    *[_spec(key, TABLE_DESCRIPTIONS[key.path[-1]], [RAW], "warehouse", {"duckdb", "polars"}) for key in TABLE_KEYS],
    # Declared on raw rather than on the tables: with a two-hop chain inside this non-subsettable
    # multi-asset, Dagster 1.13.27 refuses asset-page backfills (its TimeWindowPartitionsSubset
    # compares unequal to itself). The publish step still runs after the load, in the same step.
    _spec(PUBLISHED, PUBLISHED_DESCRIPTION, [RAW], "warehouse", {"duckdb"}),
]


@dg.multi_asset(
    name="daily_papers",
    specs=SPECS,
    check_specs=TABLE_CHECK_SPECS,
    backfill_policy=backfill_policy,
    pool=DUCKDB_WRITER_POOL,
    # No retry policy: the failures a retry met again (a day that cannot be fetched or read, a
    # full disk) are reported as they are, and Dagster retries a step with a policy when it is
    # interrupted, so Ctrl-C restarted the step. A crashed run is retried by run_retries.
)
def daily_papers(context: dg.AssetExecutionContext, hf_api: HFApiResource, warehouse: WarehouseResource):
    """Fetch, land, load and publish every listing day of the run's partition range."""
    days = [date.fromisoformat(key) for key in context.partition_keys]
    # The work runs before anything is yielded: Ctrl-C stops it at once (runs/interrupts.py), and the
    # signal handlers are ours only while our code runs, not while Dagster handles the events.
    with stop_on_signals(), disk_full_reported(warehouse.home):
        events, good, failures = _ingest(context, hf_api, warehouse, days)
    yield from events
    if failures:
        raise DaysFailed({day.isoformat(): reason for day, reason in failures.items()}, landed=good)


def _ingest(context, hf_api: HFApiResource, warehouse: WarehouseResource, days: list[date]):
    """The events to report, the days loaded, and the days that failed (day -> reason)."""
    raw_dir, run_id = warehouse.raw_dir, context.run.run_id
    backfill = backfill_id(dict(context.run.tags))
    # The fetch runs on a thread of its own; each chunk of landed days is loaded meanwhile
    # (pipeline/fetch_ahead.py), in the run's one transaction.
    with hf_api.client() as client, FetchAhead(_fetching(client, raw_dir, days, run_id, backfill), context.log) as fetching:
        landed = LandedStream(raw_dir, fetching.landed(), run_id, context.log)
        # Opened while the first day is fetched: its first bound parameter makes DuckDB import
        # pandas (~0.3 s of CPU, most of an open at 10x), which the wait for that day hides.
        con = open_writer(warehouse.paths)
        try:
            if not landed.wait_for_first():
                failures = {**_fetch_failures(fetching), **landed.failed}
                raise DaysFailed({d.isoformat(): r for d, r in failures.items()}, landed=[])
            outcomes = load_chunks(con, landed.chunks(), context.log)
            good = sorted(landed.readable)
            metadata = table_metadata(con, outcomes)
            checks = list(table_check_results(con, good))
            # So that this run's one publish shows the papers and their search together.
            search = index_before_publish(con, warehouse.paths, good, context.log)
        finally:
            con.close()
    failures = {**_fetch_failures(fetching), **landed.failed}
    published = publish(warehouse.paths, context.run.run_id)
    records = {day: landed.readable[day][-1].record_count for day in good}
    metadata.by_day[RAW.path[-1]] = {day: {"records": n} for day, n in records.items()}
    metadata.last_day[RAW.path[-1]] = {
        "days": len(good),
        "records_in_run": sum(records.values()),
        "raw_dir": dg.MetadataValue.path(str(warehouse.raw_dir)),
    }
    metadata.last_day[PUBLISHED.path[-1]] = {
        "path": dg.MetadataValue.path(str(published.path)),
        "papers": published.papers,
        "partitions_loaded": published.partitions,
        "size_mb": round(published.size_bytes / 1e6, 2),
        "publish": published.how,
        # "deferred": a full build was due, left to the search_tables asset
        "search_update": search.search,
        "search_changed_papers": search.changed_papers,
    }
    last = good[-1]
    if not failures:
        for spec in SPECS:
            for day in good:
                if day_metadata := metadata.for_day(spec.key.path[-1], day, last):
                    context.add_asset_metadata(day_metadata, asset_key=spec.key, partition_key=day.isoformat())
        results: list[dg.MaterializeResult] = [dg.MaterializeResult(asset_key=spec.key) for spec in SPECS]
        return [*results, *checks], good, failures
    # Some days failed: report each completed day on its own, so only the failed days stay failed.
    materializations = [
        dg.AssetMaterialization(
            asset_key=spec.key, partition=day.isoformat(), metadata=metadata.for_day(spec.key.path[-1], day, last)
        )
        for day in good
        for spec in SPECS
    ]
    return [*materializations, *checks], good, failures


def _fetching(client, raw_dir, days: list[date], run_id: str, backfill: str | None):
    """fetch_and_land of the run's days, for FetchAhead to run on its thread; in a `papers
    backfill` whose lander fetches the days (pipeline/lander.py), the days it lands."""
    lander = lander_for(backfill)
    if lander is not None:
        return lambda on_landed, log, stop: take_landed(lander, client, raw_dir, days, run_id, log, on_landed, stop)
    return lambda on_landed, log, stop: fetch_and_land(client, raw_dir, days, run_id, backfill, log, on_landed, stop)


def _fetch_failures(fetching: FetchAhead) -> dict[date, str]:
    """The days the fetch could not fetch (it has ended once its landed days are all taken)."""
    return (fetching.outcome or FetchOutcome()).failures
