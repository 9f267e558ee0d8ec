"""Asset: the published warehouse snapshot that every reader opens."""


import dagster as dg

from orchestration.assets.tables import TABLE_KEYS
from orchestration.partitions import DUCKDB_WRITER_POOL, backfill_policy, daily_partitions
from orchestration.resources import WarehouseResource
from orchestration.publishing import publish_working_warehouse


@dg.asset(
    partitions_def=daily_partitions,
    backfill_policy=backfill_policy,
    deps=TABLE_KEYS,
    pool=DUCKDB_WRITER_POOL,
    group_name="warehouse",
    kinds={"duckdb"},
)
def published_warehouse(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """`$PAPERS_HOME/warehouse.duckdb`: a complete, checkpointed, read-only snapshot.

    Rebuilds the derived tables (search index, similar papers) on the working warehouse, then
    copies it and swaps the copy in atomically. Runs once per run, whatever the number of days
    in the run's range, so a long backfill copies the database once per range, not per day.
    Readers (dashboard, `papers sql`, any DuckDB client) never open the file Dagster writes.
    """
    result, derived = publish_working_warehouse(warehouse, context.run.run_id)
    context.log.info(f"published {result.papers} papers to {result.path}")
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(result.path)),
        "papers": result.papers,
        "partitions_loaded": result.partitions,
        "size_mb": round(result.size_bytes / 1e6, 2),
        "derived_rows": dg.MetadataValue.json(derived),
        "days_in_run": len(context.partition_keys),
    })
