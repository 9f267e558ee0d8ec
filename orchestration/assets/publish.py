"""The publish step's asset description (the step itself is orchestration.publishing)."""

PUBLISHED_DESCRIPTION = """`$PAPERS_HOME/warehouse.duckdb`: a complete, checkpointed, read-only snapshot.

The working warehouse is checkpointed, copied and swapped in atomically. Published once per run, however many days the run holds,
so a long backfill copies the database once per range, not once per day. Readers (dashboard,
`papers sql`, any DuckDB client) never open the file Dagster writes. A partition of this asset
is materialized when that day is in the published snapshot. The search tables are rebuilt and
published by their own asset once the loads settle (see search_tables)."""
