"""Asset: the raw daily listings, fetched from the HF API and landed verbatim."""


from datetime import date

import dagster as dg

from orchestration.hf_client import FetchError
from orchestration.partitions import HF_API_POOL, backfill_policy, daily_partitions
from orchestration.raw_store import (
    RawFetch,
    clear_failure,
    land_fetch,
    list_fetches,
    record_failure,
)
from orchestration.resources import HFApiResource, WarehouseResource
from orchestration.run_failures import DaysFailed, rerun_hint

# The tag that groups the runs of one backfill; a retry of a range inside the same backfill
# reuses the days it already landed instead of fetching them again.
BACKFILL_TAGS = ("dagster/backfill", "papers/backfill")


def backfill_id(tags: dict) -> str | None:
    """The id of the backfill a run belongs to, if any."""
    return next((tags[key] for key in BACKFILL_TAGS if key in tags), None)


def fetched_in_backfill(raw_dir, day: date, backfill: str | None) -> RawFetch | None:
    """A fetch of `day` already landed by this same backfill (so a retry need not refetch it)."""
    if backfill is None:
        return None
    matches = [f for f in list_fetches(raw_dir, day) if f.tags.get("backfill") == backfill]
    return matches[-1] if matches else None


@dg.asset(
    partitions_def=daily_partitions,
    backfill_policy=backfill_policy,
    pool=HF_API_POOL,
    group_name="ingest",
    kinds={"python", "json"},
    retry_policy=dg.RetryPolicy(max_retries=1, delay=30),
)
def raw_daily_papers(
    context: dg.AssetExecutionContext, hf_api: HFApiResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Raw HF Daily Papers listings, one folder per listing date and fetch, kept verbatim.

    Grain: one fetch of `GET /api/daily_papers?date=<partition>` (all pages). Source: the HF API
    at `HF_API_BASE_URL`. Every fetch is kept (each is a vote observation) under
    `$PAPERS_HOME/raw/daily_papers/<date>/<fetched_at>/`. A failed or invalid fetch lands
    nothing, so a good raw day is never replaced; the days of the range that did fetch are kept
    and the step then fails naming the days that did not.
    """
    backfill = backfill_id(dict(context.run.tags))
    tags = {"run_id": context.run.run_id, **({"backfill": backfill} if backfill else {})}
    landed: list[RawFetch] = []
    failures: dict[str, FetchError] = {}
    with hf_api.client() as client:
        for key in context.partition_keys:
            day = date.fromisoformat(key)
            reused = fetched_in_backfill(warehouse.raw_dir, day, backfill)
            if reused is not None:
                landed.append(reused)
                continue
            try:
                fetched = client.fetch_day(day)
            except FetchError as error:
                context.log.error(f"{key}: {error}")
                record_failure(warehouse.raw_dir, day, str(error), context.run.run_id)
                failures[key] = error
                continue
            landed.append(land_fetch(
                warehouse.raw_dir, day, fetched.fetched_at, fetched.url, fetched.pages,
                fetched.record_count, tags,
            ))
            clear_failure(warehouse.raw_dir, day)
            context.log.info(f"{key}: landed {fetched.record_count} records")
    if failures:
        raise DaysFailed.from_fetch_errors(failures, landed=[f.listing_date for f in landed])
    return dg.MaterializeResult(metadata={
        "days": len(landed),
        "records": sum(f.record_count for f in landed),
        "records_per_day": dg.MetadataValue.json(
            {f.listing_date.isoformat(): f.record_count for f in landed}
        ),
        "raw_dir": dg.MetadataValue.path(str(warehouse.raw_dir)),
        "rerun": rerun_hint(context.partition_keys[0], context.partition_keys[-1]),
    })
