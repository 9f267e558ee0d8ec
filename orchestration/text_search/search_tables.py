"""The search tables (search index, similar papers): kept current by each load run when that is
cheap, built whole by this asset once loads settle.

They are derived from every paper in the warehouse. An update tokenises only the papers that are
new, gone or edited since the last one (warehouse/derived.py): a few seconds of CPU for a day at
10x, so a load run updates them in its own transaction before its one publish (`index_before_publish`),
and readers see a day's papers and their search together. A full build (first run, new index
format, most papers changed, similar papers due whole) costs time in proportion to the whole
history, so a load run leaves it, and this asset runs it once when no load is running or queued
any more (its automation condition below; `papers backfill` runs it once at its end). Until then
the published search tables describe the papers of the previous update. When the load runs left
nothing to do and the published snapshot is already current, this asset does not publish again.
"""

from datetime import date

import dagster as dg
import duckdb

from orchestration.automation import deps_updated_since_requested
from orchestration.partitions import DUCKDB_WRITER_POOL
from orchestration.resources import WarehouseResource
from orchestration.runs.interrupts import stop_on_signals
from warehouse.backend import open_writer, publish, published_is_current, write_retrying
from warehouse.db import scalar
from warehouse.derived import DEFERRED, DerivedUpdate, update_derived_tables
from warehouse.paths import WarehousePaths

SEARCH_KEYS = [dg.AssetKey("search_index"), dg.AssetKey("similar_papers")]
SEARCH_DESCRIPTIONS = {
    "search_index": "One row per (term, paper): the paper's BM25 score for that term over its "
    "title and abstract (grain: term, paper_id), computed when read from the stored term counts. "
    "`search_papers(query)` reads it.",
    "similar_papers": "The five nearest papers of each paper by TF-IDF cosine over title and abstract (grain: paper_id, rank).",
}

# Run once the loads are done: after any load of papers (ordered against the last request, see
# orchestration/automation.py), but not while a run or backfill that will still load papers is in
# progress or queued. Missing days upstream (most of the calendar, for a local warehouse) must
# not block it, so there is no any_deps_missing (eager() has it).
AFTER_LOADS_SETTLE = (
    deps_updated_since_requested() & ~dg.AutomationCondition.any_deps_in_progress() & ~dg.AutomationCondition.in_progress()
).with_label("after_loads_settle")


def index_before_publish(con: duckdb.DuckDBPyConnection, paths: WarehousePaths, days: list[date], log) -> DerivedUpdate:
    """Inside a load run, after its load and before its publish: update the search tables to
    the loaded papers in one transaction of their own, unless a full build is due (DEFERRED: this
    asset does it). An update that fails is rolled back and left to this asset too (logged as a
    warning): the papers still publish, as they did before search was kept by the load runs.
    `days`: the days the load replaced (edited papers are looked for among them when they are
    the only days loaded since the last update)."""
    try:
        # On DuckLake two updates (two load runs, or one and this asset) conflict on the tables they change.
        return write_retrying(paths, lambda: update_derived_tables(con, allow_full_build=False, loaded_days=days), log.warning)
    except duckdb.Error as error:
        log.warning(f"search tables left to the search_tables asset: {error}")
        return DEFERRED


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
    """Update the search index and similar papers to every loaded paper, then publish (not
    when nothing changed and the published snapshot is already current)."""
    with stop_on_signals():  # before anything is yielded: see ingest/daily_papers.py
        con = open_writer(warehouse.paths)
        try:
            # Asked before the update: on DuckLake an update that finds nothing still commits a snapshot.
            current = published_is_current(warehouse.paths, con)
            # On DuckLake two updates (two backfills' ends) conflict on the tables they change.
            update = write_retrying(warehouse.paths, lambda: update_derived_tables(con, loaded_days=[]), context.log.warning)
            papers = scalar(con, "SELECT count(*) FROM papers")
        finally:
            con.close()
        if update.search == "unchanged" and current:
            # The load runs indexed their papers and published them: a publish would copy the same snapshot.
            published_as: dg.MetadataValue = dg.MetadataValue.text("no: the published snapshot was already current")
            publish_how = "none"
        else:
            published = publish(warehouse.paths, context.run.run_id)
            papers, published_as = published.papers, dg.MetadataValue.path(str(published.path))
            publish_how = published.how
    for key in SEARCH_KEYS:
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={
                "dagster/row_count": update.counts[key.path[-1]],
                "update": update.search if key.path[-1] == "search_index" else update.similar,
                "changed_papers": update.changed_papers,
                "papers": papers,
                "published": published_as,
                "publish": publish_how,
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
