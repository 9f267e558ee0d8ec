"""Files on disk that the ingest reads and writes: raw API fetches and saved listing pages (no Dagster)."""
