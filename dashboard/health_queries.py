"""Queries on the load bookkeeping tables (partition_loads, quarantined_records, publish_log)."""

from __future__ import annotations

import polars as pl


class HealthQueries:
    """Methods for the Data health page. Mixed into `WarehouseRepository`."""

    def frame(self, sql: str, params: list | dict | None = None) -> pl.DataFrame:  # pragma: no cover
        raise NotImplementedError

    def load_summary(self) -> dict:
        """Partitions loaded, first/last day, calendar days missing in between, last load and publish."""
        return self.frame(
            """
            SELECT count(*) AS partitions,
                   min(listing_date) AS first_day,
                   max(listing_date) AS last_day,
                   coalesce(datediff('day', min(listing_date), max(listing_date)) + 1 - count(*), 0) AS days_missing,
                   max(loaded_at) AS last_load,
                   coalesce(sum(quarantined), 0) AS quarantined,
                   (SELECT max(published_at) FROM publish_log) AS last_publish
            FROM partition_loads
            """
        ).row(0, named=True)

    def missing_days(self, limit: int = 500) -> pl.DataFrame:
        """Calendar days between the first and last loaded day that have no loaded partition."""
        return self.frame(
            """
            SELECT CAST(d AS DATE) AS listing_date
            FROM (SELECT min(listing_date) AS lo, max(listing_date) AS hi FROM partition_loads) b,
                 generate_series(b.lo, b.hi, INTERVAL 1 DAY) g(d)
            WHERE CAST(d AS DATE) NOT IN (SELECT listing_date FROM partition_loads)
            ORDER BY 1 DESC LIMIT ?
            """,
            [limit],
        )

    def partition_loads(self, limit: int = 60) -> pl.DataFrame:
        """The newest loaded partitions with what each load saw."""
        return self.frame(
            "SELECT listing_date, loaded_papers, raw_records, quarantined, fetch_count, fetched_at, loaded_at "
            "FROM partition_loads ORDER BY listing_date DESC LIMIT ?",
            [limit],
        )

    def quarantined(self, limit: int = 200) -> pl.DataFrame:
        """Records that could not be read, newest first."""
        return self.frame(
            "SELECT listing_date, record_index, paper_id, reason, fetched_at, raw_record "
            "FROM quarantined_records ORDER BY listing_date DESC, record_index LIMIT ?",
            [limit],
        )

    def publish_history(self, limit: int = 20) -> pl.DataFrame:
        """The newest publishes."""
        return self.frame(
            "SELECT published_at, run_id, partitions, papers FROM publish_log ORDER BY published_at DESC LIMIT ?",
            [limit],
        )

    def schema_overview(self) -> pl.DataFrame:
        """Every user-facing table and view with its columns (for the SQL console's side panel)."""
        return self.frame(
            """
            SELECT c.table_name AS name,
                   CASE WHEN v.view_name IS NULL THEN 'table' ELSE 'view' END AS kind,
                   string_agg(c.column_name || ' ' || lower(c.data_type), ', ' ORDER BY c.column_index) AS columns
            FROM duckdb_columns() c
            LEFT JOIN duckdb_views() v ON v.view_name = c.table_name AND v.database_name = c.database_name
            WHERE c.database_name = current_database() AND c.schema_name = 'main'
            GROUP BY ALL ORDER BY kind, name
            """
        )
