"""The one Dagster code location of the project: `dagster dev` in the repo root loads this."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.listings import import_listings_job, listed_papers, new_listing_files
from orchestration.assets.daily_papers import daily_papers
from orchestration.assets.search import search_tables, search_tables_after_loads, search_tables_job
from orchestration.freshness import listing_freshness_sensor, listing_published_by_deadline
from orchestration.jobs import daily_papers_job
from orchestration.resources import resources_from_env
from orchestration.schedules import daily_refresh

defs = dg.Definitions(
    assets=[daily_papers, listed_papers, search_tables],
    asset_checks=[listing_published_by_deadline],
    jobs=[daily_papers_job, import_listings_job, search_tables_job],
    sensors=[new_listing_files, listing_freshness_sensor, search_tables_after_loads],
    schedules=[daily_refresh],
    resources=resources_from_env(),
)
