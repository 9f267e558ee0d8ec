"""The one Dagster code location of the project (`hf_daily_papers`): `dagster dev`, `dg dev` and
`dg check defs` in the repo root load this (pyproject.toml [tool.dagster] and [tool.dg]).

Grouped by domain: ingest/ (the API's listing days: the daily_papers asset, its table checks,
the freshness check, job and schedule), listing_pages/ (saved listing pages: asset, job,
sensor), text_search/ (search tables: asset, job, automation sensor), digests/ (the weekly digest:
asset, automation sensor); runs/ holds what runs
jobs from a terminal (backfill, one writer at a time, the instance)."""

from __future__ import annotations

import dagster as dg

from orchestration.digests.weekly_digest import weekly_digest, weekly_digest_after_loads
from orchestration.ingest.daily_papers import daily_papers
from orchestration.ingest.freshness_check import listing_freshness_sensor, listing_published_by_deadline
from orchestration.ingest.jobs import daily_papers_job
from orchestration.ingest.schedules import daily_refresh
from orchestration.listing_pages.listed_papers import import_listings_job, listed_papers, new_listing_files
from orchestration.resources import resources_from_settings
from orchestration.runs.instance_check import refuse_dev_server_without_shipped_settings
from orchestration.text_search.search_tables import search_tables, search_tables_after_loads, search_tables_job
from papers_settings import Settings

refuse_dev_server_without_shipped_settings()

defs = dg.Definitions(
    assets=[daily_papers, listed_papers, search_tables, weekly_digest],
    asset_checks=[listing_published_by_deadline],
    jobs=[daily_papers_job, import_listings_job, search_tables_job],
    sensors=[new_listing_files, listing_freshness_sensor, search_tables_after_loads, weekly_digest_after_loads],
    schedules=[daily_refresh],
    resources=resources_from_settings(Settings.from_env()),
    # Every job's steps run in its run worker's own process. Dagster's default starts a process per
    # step, which imports this code location again (~1 s of CPU) only to run one step that holds
    # the single DuckDB writer; the steps of a run cannot run side by side anyway.
    executor=dg.in_process_executor,
)
