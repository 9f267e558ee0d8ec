"""Other DuckDB releases, run in side processes by the project's uv (from the package registry)."""
