"""The one Dagster code location of the project (`hf_daily_papers`): `dagster dev`, `dg dev` and
`dg check defs` in the repo root load this (pyproject.toml [tool.dagster] and [tool.dg])."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.daily_papers import daily_papers
from orchestration.assets.listings import import_listings_job, listed_papers, new_listing_files
from orchestration.assets.search import search_tables, search_tables_after_loads, search_tables_job
from orchestration.freshness import listing_freshness_sensor, listing_published_by_deadline
from orchestration.instance_check import refuse_dev_server_without_shipped_settings
from orchestration.jobs import daily_papers_job
from orchestration.resources import resources_from_env
from orchestration.schedules import daily_refresh

refuse_dev_server_without_shipped_settings()

defs = dg.Definitions(
    assets=[daily_papers, listed_papers, search_tables],
    asset_checks=[listing_published_by_deadline],
    jobs=[daily_papers_job, import_listings_job, search_tables_job],
    sensors=[new_listing_files, listing_freshness_sensor, search_tables_after_loads],
    schedules=[daily_refresh],
    resources=resources_from_env(),
)
