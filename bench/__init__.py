"""Benchmark of the warehouse: generated API days, load vs the DuckDB floor, dlt, Dagster
backfill, dashboard queries and memory. Entry point: `papers bench` (bench.run.run_benchmark)."""
