"""The daily listing partitions and how backfills are batched into runs."""

from __future__ import annotations

import dagster as dg

# Re-exported: the first date the daily_papers API serves (defined where Dagster-free code reads it too).
from hf_api.defaults import FIRST_LISTING_DATE as FIRST_LISTING_DATE

# end_offset=1: today's listing is a partition too, since HF fills it during the day.
daily_partitions = dg.DailyPartitionsDefinition(start_date=FIRST_LISTING_DATE, timezone="UTC", end_offset=1)

# A run per partition costs a process start-up each (seconds); a year of days in ranges of a
# quarter costs 4 runs (bench: a year took ~20% less than in 12 runs of 31 days; each run also
# checkpoints and publishes the whole warehouse). A day that cannot be fetched fails alone: the
# other days of its range still load, publish and are reported materialized (see
# ingest/daily_papers.py).
MAX_PARTITIONS_PER_RUN = 92
backfill_policy = dg.BackfillPolicy.multi_run(max_partitions_per_run=MAX_PARTITIONS_PER_RUN)

# Every step that writes DuckDB runs in this pool; dagster.yaml limits it to one at a time.
# The ingest step also fetches, so HF never sees more than one fetching step at once either.
DUCKDB_WRITER_POOL = "duckdb_writer"
