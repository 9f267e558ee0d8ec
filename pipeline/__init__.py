"""The steps of the ingest path without Dagster: fetch and land days, load landed days.

The Dagster assets and the benchmark call the same functions."""
