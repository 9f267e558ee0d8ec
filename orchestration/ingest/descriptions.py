"""What the assets of the daily papers path are, as the Dagster UI shows it (what, grain, source)."""

RAW_DESCRIPTION = """Raw HF Daily Papers listings, kept verbatim.

Grain: one fetch of `GET /api/daily_papers?date=<partition>` (all pages), as files under
`$PAPERS_HOME/raw/daily_papers/<date>/<fetched_at>/`. Source: the HF API at `HF_API_BASE_URL`.
Every fetch is kept (each is a vote observation). A failed or invalid fetch lands nothing, so a
good raw day is never replaced."""

TABLE_DESCRIPTIONS = {
    "papers": "One row per paper (grain: paper_id), on the listing date it was loaded from; "
    "upvotes and num_comments are the latest observation.",
    "authors": "One row per person (grain: author_id = hash of the claimed HF username, else of "
    "the normalised name); shared across days and upserted.",
    "paper_authors": "One row per author slot of a paper (grain: paper_id, position), in the order the paper lists them.",
    "votes": "One row per paper per fetch (grain: paper_id, observed_at): the upvote history "
    "that re-fetching recent days builds.",
    "quarantined_records": "Raw records that could not be read, with the reason and the record "
    "verbatim (grain: listing_date, fetched_at, record_index).",
}

PUBLISHED_DESCRIPTION = """`$PAPERS_HOME/warehouse.duckdb`: a complete, checkpointed, read-only snapshot.

The working warehouse is checkpointed, copied and swapped in atomically. Published once per run,
however many days the run holds, so a long backfill copies the database once per range, not once
per day. Readers (dashboard, `papers sql`, any DuckDB client) never open the file Dagster writes. A partition of this asset
is materialized when that day is in the published snapshot. The search tables are rebuilt and
published by their own asset once the loads settle (see search_tables)."""
