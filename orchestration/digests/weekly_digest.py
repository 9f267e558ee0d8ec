"""The weekly digest asset: each ISO week's Markdown and HTML digest and the Atom feed, written
under $PAPERS_HOME/digests/ from the published warehouse once the week's days have loaded.

Thin: the digest package reads, ranks and renders; this asset picks the weeks and reports files.
"""

from datetime import UTC, date, datetime, timedelta

import dagster as dg

from digest.weeks import Week
from hf_api.defaults import FIRST_LISTING_DATE
from orchestration.automation import deps_updated_since_requested
from orchestration.ingest.daily_papers import PUBLISHED
from orchestration.resources import WarehouseResource
from warehouse.backend import open_reader

_first_day = date.fromisoformat(FIRST_LISTING_DATE)
# The weeks start on the Monday of the first daily partition, so the first week holds it.
FIRST_WEEK_START = (_first_day - timedelta(days=_first_day.weekday())).isoformat()

# day_offset=1: Monday (ISO weeks, as the keyword views count them). The newest partition is the
# last complete week: a week's digest is written once its Sunday is over.
weekly_partitions = dg.WeeklyPartitionsDefinition(start_date=FIRST_WEEK_START, day_offset=1, timezone="UTC")

# A week's digest after its days load: when any of its days is (re)published (ordered against the
# last request, see orchestration/automation.py), once none of them is still loading. Also asked for:
# - the newest week when it appears (Monday 00:00 UTC) if all of its days are already in;
# - on the sensor's first evaluation, every week without a digest that has a published day:
#   `papers up` loads before the daemon starts, so the sensor never sees those days update.
# Days a local warehouse never loaded must not block a week, hence no any_deps_missing on the
# first branch (the first week also starts before the first day).
NEWEST_WEEK_COMPLETE = (
    dg.AutomationCondition.in_latest_time_window()
    & dg.AutomationCondition.newly_missing()
    & ~dg.AutomationCondition.any_deps_missing()
)
LOADED_BEFORE_FIRST_LOOK = (
    dg.AutomationCondition.initial_evaluation()
    & dg.AutomationCondition.missing()
    & dg.AutomationCondition.any_deps_match(~dg.AutomationCondition.missing())
)
AFTER_WEEK_LOADS = (
    # since_last_handled counts the first evaluation as handled, hence that branch outside it.
    (deps_updated_since_requested() | NEWEST_WEEK_COMPLETE.since_last_handled() | LOADED_BEFORE_FIRST_LOOK)
    & ~dg.AutomationCondition.any_deps_in_progress()
    & ~dg.AutomationCondition.in_progress()
).with_label("after the week's loads")


@dg.asset(
    partitions_def=weekly_partitions,
    deps=[
        dg.AssetDep(
            PUBLISHED,
            partition_mapping=dg.TimeWindowPartitionMapping(allow_nonexistent_upstream_partitions=True),
        )
    ],
    automation_condition=AFTER_WEEK_LOADS,
    group_name="digest",
    kinds={"markdown", "html"},
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def weekly_digest(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The digest of each ISO week (Monday to Sunday of listing dates): `<week_start>.md` and
    `<week_start>.html` in $PAPERS_HOME/digests/, and `feed.xml` there rewritten (grain: one
    digest per week; source: the published warehouse's views, so its ranking is the dashboard's)."""
    # Imported here: the feed and template libraries would otherwise load with every Dagster
    # definitions import (each `papers backfill`, each code-server start), before any digest runs.
    from digest.write import write_digest

    weeks = [Week(date.fromisoformat(key)) for key in context.partition_keys]
    folder = warehouse.paths.digests_dir
    con = open_reader(warehouse.paths)
    try:
        written = [write_digest(con, week, folder, datetime.now(UTC)) for week in weeks]
    finally:
        con.close()
    for one in written:
        context.log.info(f"{one.week.label}: {one.papers} papers -> {one.markdown.name}, {one.html.name}")
    return dg.MaterializeResult(
        metadata={
            "weeks": len(written),
            "papers": sum(one.papers for one in written),
            "feed_entries": written[-1].feed_entries,
            "folder": dg.MetadataValue.path(str(folder)),
            "latest": dg.MetadataValue.path(str(written[-1].html)),
        }
    )


weekly_digest_after_loads = dg.AutomationConditionSensorDefinition(
    "weekly_digest_after_loads",
    target=dg.AssetSelection.assets(weekly_digest),
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests a week's weekly_digest once that week's days were published and none is loading.",
)
