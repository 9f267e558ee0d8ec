"""The ingest path as one Dagster step: fetch -> land raw -> transform + load -> publish.

One step for the three stages, because Dagster records success per step, not per day, inside a
ranged run (dagster-io/dagster#17836): here each stage reports each day it completed, so a day
that cannot be fetched fails alone while the other days of the range load and publish.
"""

from datetime import date

import dagster as dg

from orchestration.assets.publish import PUBLISHED_DESCRIPTION
from orchestration.assets.raw import RAW_DESCRIPTION, backfill_id, fetch_and_land
from orchestration.assets.tables import TABLE_DESCRIPTIONS, load_days, table_metadata
from orchestration.checks import TABLE_CHECK_SPECS, table_check_results
from orchestration.partitions import DUCKDB_WRITER_POOL, backfill_policy, daily_partitions
from orchestration.publishing import publish_working_warehouse
from orchestration.resources import HFApiResource, WarehouseResource
from orchestration.run_failures import DaysFailed
from warehouse.db import connect_writer

RAW, PUBLISHED = dg.AssetKey("raw_daily_papers"), dg.AssetKey("published_warehouse")
TABLE_KEYS = [dg.AssetKey(name) for name in TABLE_DESCRIPTIONS]


def _spec(key: dg.AssetKey, description: str, deps, group: str, kinds: set[str]) -> dg.AssetSpec:
    return dg.AssetSpec(key, description=description, deps=deps, group_name=group, kinds=kinds,
                        partitions_def=daily_partitions)


SPECS = [
    _spec(RAW, RAW_DESCRIPTION, [], "ingest", {"json"}),
    *[_spec(key, TABLE_DESCRIPTIONS[key.path[-1]], [RAW], "warehouse", {"duckdb", "polars"})
      for key in TABLE_KEYS],
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
    retry_policy=dg.RetryPolicy(max_retries=1, delay=10),
)
def daily_papers(context: dg.AssetExecutionContext, hf_api: HFApiResource,
                 warehouse: WarehouseResource):
    """Fetch, land, load and publish every listing day of the run's partition range."""
    days = [date.fromisoformat(key) for key in context.partition_keys]
    with hf_api.client() as client:
        fetched = fetch_and_land(client, warehouse.raw_dir, days, context.run.run_id,
                                 backfill_id(dict(context.run.tags)), context.log)
    good = sorted(fetched.landed)
    if not good:
        raise DaysFailed({d.isoformat(): r for d, r in fetched.failures.items()}, landed=[])
    con = connect_writer(warehouse.working_path)
    try:
        outcomes = load_days(con, warehouse.raw_dir, good, context.log)
        metadata = table_metadata(con, outcomes)
        checks = table_check_results(con, good)
    finally:
        con.close()
    published = publish_working_warehouse(warehouse, context.run.run_id)
    metadata |= {
        RAW.path[-1]: {"days": len(good), "records": sum(f.record_count for f in fetched.landed.values()),
                       "raw_dir": dg.MetadataValue.path(str(warehouse.raw_dir))},
        PUBLISHED.path[-1]: {"path": dg.MetadataValue.path(str(published.path)),
                             "papers": published.papers, "partitions_loaded": published.partitions,
                             "size_mb": round(published.size_bytes / 1e6, 2)},
    }
    if not fetched.failures:
        for spec in SPECS:
            yield dg.MaterializeResult(asset_key=spec.key, metadata=metadata[spec.key.path[-1]])
        yield from checks
        return
    # Some days failed: report each completed day on its own, so only the failed days stay failed.
    for day in good:
        for spec in SPECS:
            yield dg.AssetMaterialization(asset_key=spec.key, partition=day.isoformat(),
                                          metadata=metadata[spec.key.path[-1]])
    yield from checks
    raise DaysFailed(
        {day.isoformat(): reason for day, reason in fetched.failures.items()}, landed=good
    )
