"""The DuckLake console's parse-tree check: what a locked configuration cannot stop inside a SELECT
is refused before it runs (the worker on a real lake: tests/e2e/test_ducklake_console.py)."""

from __future__ import annotations

import json

import duckdb
import pytest

from dashboard.sql_worker_lake import SAFE_TABLE_FUNCTIONS, tree_refusal

MACROS = {"search_papers"}  # stands in for the lake's own table macros


def why(sql: str) -> str | None:
    tree = json.loads(duckdb.sql("SELECT json_serialize_sql($sql)", params={"sql": sql}).fetchone()[0])
    assert not tree["error"], tree
    return tree_refusal(tree["statements"], SAFE_TABLE_FUNCTIONS | MACROS)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT count(*) FROM papers",
        "SELECT * FROM lake.main.papers p JOIN authors a ON a.author_id = p.paper_id",
        "WITH t AS (SELECT * FROM votes) SELECT * FROM t",
        "SELECT * FROM search_papers('reasoning')",
        "SELECT * FROM range(3)",
        "SELECT * FROM duckdb_tables()",
        "DESCRIBE papers",
        "SUMMARIZE votes",
        "SHOW TABLES",
        "SELECT (SELECT max(upvotes) FROM papers) AS top",
        "SELECT 'a/b.parquet' AS text_that_looks_like_a_file",
    ],
)
def test_reads_of_the_warehouse_pass(sql):
    assert why(sql) is None


@pytest.mark.parametrize(
    ("sql", "said"),
    [
        ("SELECT * FROM papers AT (VERSION => 9)", "AT (time travel) is not allowed"),
        ("SELECT * FROM (SELECT * FROM votes AT (TIMESTAMP => now())) v", "AT (time travel) is not allowed"),
        ("SELECT * FROM __ducklake_metadata_lake.ducklake_snapshot", "__ducklake_metadata_lake is not readable"),
        ("SELECT * FROM __DUCKLAKE_METADATA_lake.main.ducklake_data_file", "is not readable"),
        ("SHOW TABLES FROM __ducklake_metadata_lake", "is not readable"),
        ("SELECT * FROM postgres_query('__ducklake_metadata_lake', 'SELECT 1')", "table function postgres_query"),
        ("SELECT * FROM query_table('__ducklake_metadata_lake.ducklake_snapshot')", "table function query_table"),
        ("SELECT * FROM query('SELECT 1')", "table function query"),
        ("SELECT * FROM ducklake_table_changes('lake', 'main', 'papers', 1, 9)", "table function ducklake_table_changes"),
        ("SELECT * FROM ducklake_expire_snapshots('lake', older_than => now())", "ducklake_expire_snapshots"),
        ("SELECT * FROM lake.snapshots()", "table function snapshots"),
        ("SELECT * FROM duckdb_databases()", "table function duckdb_databases"),
        ("SELECT * FROM read_csv('/etc/passwd')", "table function read_csv"),
        ("SELECT * FROM papers WHERE paper_id IN (SELECT * FROM read_parquet('/x/*.parquet'))", "read_parquet"),
        ("SELECT * FROM system.main.range(3)", "table function range"),
        ("SELECT * FROM '/srv/lake/main/papers/x.parquet'", "Reading the file /srv/lake/main/papers/x.parquet"),
        ("SELECT * FROM 'https://example.com/x.csv'", "Reading the file"),
        ('SELECT * FROM "papers.parquet"', "Reading the file papers.parquet"),
    ],
)
def test_what_reaches_past_the_published_snapshot_is_refused(sql, said):
    reason = why(sql)
    assert reason is not None and said in reason
