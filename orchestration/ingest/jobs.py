"""Jobs: the whole ingest path (raw -> tables -> published) for a range of days."""

from __future__ import annotations

import dagster as dg

from orchestration.ingest.freshness_check import CHECK_NAME, PUBLISHED

# The freshness check is evaluated by its own sensor; inside a load run it would only add a step.
_FRESHNESS_CHECK = dg.AssetSelection.checks(dg.AssetCheckKey(PUBLISHED, CHECK_NAME))

daily_papers_job = dg.define_asset_job(
    name="daily_papers_job",
    selection=dg.AssetSelection.groups("ingest", "warehouse") - _FRESHNESS_CHECK,
    description="Fetch, transform, load and publish a range of listing days in one run.",
)
