"""The daily listing partitions and how backfills are batched into runs."""

from __future__ import annotations

import dagster as dg

FIRST_LISTING_DATE = "2023-05-04"  # the first date the daily_papers API serves

# end_offset=1: today's listing is a partition too, since HF fills it during the day.
daily_partitions = dg.DailyPartitionsDefinition(
    start_date=FIRST_LISTING_DATE, timezone="UTC", end_offset=1
)

# A run per partition costs a process start-up each (seconds); a year of days in ranges of 31
# costs 12 runs. A failing day fails its range, whose other days still land raw and are reused
# by the retry (see raw asset), so the blast radius stays one range.
MAX_PARTITIONS_PER_RUN = 31
backfill_policy = dg.BackfillPolicy.multi_run(max_partitions_per_run=MAX_PARTITIONS_PER_RUN)

# Every asset that writes DuckDB runs in this pool; dagster.yaml limits it to one at a time.
DUCKDB_WRITER_POOL = "duckdb_writer"
# Fetching steps share this pool so concurrent runs never exceed the HF request concurrency.
HF_API_POOL = "hf_api"
