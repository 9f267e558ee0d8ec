"""The search tables (search index, similar papers): updated once after loads settle, not per run.

They are derived from every paper in the warehouse. An update tokenises only the papers that are
new, gone or edited since the last one (warehouse/derived.py), but it still reads every paper's
text to find them, and a full build (first run, new index format, most papers changed) costs time
in proportion to the whole history. So the load runs publish the papers, and this asset updates
the search tables once when no load is running or queued any more (its automation condition
below; `papers backfill` runs it once at its end). Until then the published search tables
describe the papers of the previous update, which is what readers see meanwhile.
"""

import dagster as dg

from orchestration.partitions import DUCKDB_WRITER_POOL
from orchestration.resources import WarehouseResource
from orchestration.runs.interrupts import stop_on_signals
from warehouse.backend import open_writer, publish, write_retrying
from warehouse.derived import update_derived_tables

SEARCH_KEYS = [dg.AssetKey("search_index"), dg.AssetKey("similar_papers")]
SEARCH_DESCRIPTIONS = {
    "search_index": "One row per (term, paper): the paper's BM25 score for that term over its "
    "title and abstract (grain: term, paper_id), computed when read from the stored term counts. "
    "`search_papers(query)` reads it.",
    "similar_papers": "The five nearest papers of each paper by TF-IDF cosine over title and abstract (grain: paper_id, rank).",
}

# Run once the loads are done: after any load of papers, but not while a run or backfill that
# will still load papers is in progress or queued. Missing days upstream (most of the calendar,
# for a local warehouse) must not block it, hence without any_deps_missing.
AFTER_LOADS_SETTLE = dg.AutomationCondition.eager().without(~dg.AutomationCondition.any_deps_missing())


@dg.multi_asset(
    name="search_tables",
    specs=[
        dg.AssetSpec(
            key,
            description=SEARCH_DESCRIPTIONS[key.path[-1]],
            deps=[dg.AssetKey("papers")],
            group_name="search",
            kinds={"duckdb"},
            automation_condition=AFTER_LOADS_SETTLE,
        )
        for key in SEARCH_KEYS
    ],
    pool=DUCKDB_WRITER_POOL,
)
def search_tables(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Update the search index and similar papers to every loaded paper, then publish."""
    with stop_on_signals():  # before anything is yielded: see ingest/daily_papers.py
        con = open_writer(warehouse.paths)
        try:
            # On DuckLake two updates (two backfills' ends) conflict on the tables they change.
            update = write_retrying(warehouse.paths, lambda: update_derived_tables(con), context.log.warning)
        finally:
            con.close()
        published = publish(warehouse.paths, context.run.run_id)
    for key in SEARCH_KEYS:
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={
                "dagster/row_count": update.counts[key.path[-1]],
                "update": update.search if key.path[-1] == "search_index" else update.similar,
                "changed_papers": update.changed_papers,
                "papers": published.papers,
                "published": dg.MetadataValue.path(str(published.path)),
            },
        )


search_tables_job = dg.define_asset_job(
    name="search_tables_job",
    selection=dg.AssetSelection.assets(*SEARCH_KEYS),
    description="Update the search index and similar papers to every loaded paper, then publish.",
)

search_tables_after_loads = dg.AutomationConditionSensorDefinition(
    "search_tables_after_loads",
    target=dg.AssetSelection.assets(*SEARCH_KEYS),
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests search_tables once papers were loaded and no load is in progress.",
)
