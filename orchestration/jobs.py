"""Jobs: the whole ingest path (raw -> tables -> published) for a range of days."""

from __future__ import annotations

import dagster as dg

daily_papers_job = dg.define_asset_job(
    name="daily_papers_job",
    selection=dg.AssetSelection.groups("ingest", "warehouse"),
    description="Fetch, transform, load and publish a range of listing days in one run.",
)
