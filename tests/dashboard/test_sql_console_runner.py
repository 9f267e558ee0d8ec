"""The SQL console refuses or stops everything but one bounded read, and keeps working after."""

from __future__ import annotations

import duckdb
import pytest

from dashboard.sql_console_runner import ConsoleLimits, run_console_query
from dashboard.sql_worker import refusal

# Short limits keep the runaway cases quick; the behaviour is the same at the page's limits.
FAST = ConsoleLimits(row_cap=100, timeout_s=1.5, kill_grace_s=3.0)


def assert_still_answers(warehouse_path) -> None:
    """After any refusal the console still runs a normal query (5 seeded papers)."""
    after = run_console_query(warehouse_path, "SELECT count(*) AS n FROM papers", FAST)
    assert after.ok, after.message
    assert after.frame["n"].tolist() == [5]


@pytest.mark.parametrize(
    ("sql", "keyword"),
    [
        ("DELETE FROM papers", "DELETE"),
        ("CREATE TABLE x AS SELECT 1", "CREATE"),
        ("ATTACH '/tmp/other.duckdb' AS other", "ATTACH"),
        ("COPY papers TO '/tmp/papers.csv'", "COPY"),
        ("INSTALL httpfs", "INSTALL"),
        ("LOAD httpfs", "LOAD"),
        ("SET threads = 1", "SET"),
        ("PRAGMA threads = 1", "PRAGMA"),
        ("UPDATE papers SET upvotes = 0", "UPDATE"),
        ("CALL pragma_version()", "CALL"),
    ],
)
def test_statements_that_are_not_reads_are_refused_by_name(warehouse_path, sql, keyword):
    result = run_console_query(warehouse_path, sql, FAST)
    assert result.status == "refused"
    assert result.message.startswith(f"{keyword} is not allowed")
    assert_still_answers(warehouse_path)


def test_two_statements_at_once_are_refused(warehouse_path):
    result = run_console_query(warehouse_path, "SELECT 1; DELETE FROM papers", FAST)
    assert result.status == "refused"
    assert "one statement at a time: found 2" in result.message
    assert_still_answers(warehouse_path)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM 'https://example.com/x.parquet'",
    ],
)
def test_reading_files_or_urls_from_a_select_is_refused(warehouse_path, sql):
    result = run_console_query(warehouse_path, sql, FAST)
    assert result.status == "refused"
    assert "cannot read or write files" in result.message
    assert_still_answers(warehouse_path)


def test_a_never_ending_query_is_interrupted_at_the_timeout(warehouse_path):
    # Each step of the recursion is cheap and the CTE never ends: only the timeout stops it.
    sql = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
    result = run_console_query(warehouse_path, sql, FAST)
    assert result.status in {"timeout", "memory"}
    assert result.message.startswith("Stopped")
    assert_still_answers(warehouse_path)


def test_a_huge_cross_join_is_stopped(warehouse_path):
    result = run_console_query(warehouse_path, "SELECT count(*) FROM range(100000000) a, range(100000) b", FAST)
    assert result.status in {"timeout", "memory"}
    assert result.message.startswith("Stopped")
    assert_still_answers(warehouse_path)


def test_a_worker_that_ignores_the_interrupt_is_killed(warehouse_path, tmp_path):
    # Stands in for a query DuckDB cannot interrupt: a worker that never answers.
    hung = tmp_path / "hung_worker.py"
    hung.write_text("import time\nwhile True:\n    time.sleep(1)\n")
    limits = ConsoleLimits(timeout_s=0.5, kill_grace_s=0.5)
    result = run_console_query(warehouse_path, "SELECT 1", limits, worker=hung)
    assert result.status == "killed"
    assert "worker process was ended" in result.message
    assert_still_answers(warehouse_path)


def test_a_million_row_result_is_capped_and_says_so(warehouse_path):
    result = run_console_query(warehouse_path, "SELECT range AS i FROM range(1000000)", FAST)
    assert result.ok
    assert result.truncated
    assert len(result.frame) == FAST.row_cap
    assert result.message == "Showing the first 100 rows; the result has more."


def test_a_result_exactly_at_the_cap_is_not_marked_truncated(warehouse_path):
    result = run_console_query(warehouse_path, "SELECT range AS i FROM range(100)", FAST)
    assert result.ok and not result.truncated
    assert len(result.frame) == 100


def test_a_read_returns_the_same_rows_as_sql(warehouse_path, repo):
    sql = "SELECT paper_id, upvotes FROM papers WHERE upvotes >= 20 ORDER BY upvotes DESC"
    result = run_console_query(warehouse_path, sql, FAST)
    assert result.ok
    # Seeded: 50, 30 and 20 upvotes reach 20 (the 10 and the 5 do not).
    assert result.frame.to_dict("list") == {"paper_id": ["2501.00001", "2501.00003", "2412.00005"], "upvotes": [50, 30, 20]}
    assert result.frame.to_dict("list") == repo.frame(sql).to_dict(as_series=False)


def test_views_describe_and_cte_are_allowed(warehouse_path):
    assert refusal("WITH t AS (SELECT 1) SELECT * FROM t") is None
    assert refusal("FROM papers") is None
    assert refusal("DESCRIBE papers") is None
    assert refusal("SELECT 1;") is None
    described = run_console_query(warehouse_path, "DESCRIBE papers", FAST)
    assert described.ok and "paper_id" in described.frame["column_name"].tolist()


def test_empty_and_unparsable_input_say_what_is_wrong(warehouse_path):
    assert refusal("  -- just a comment") == "Nothing to run: type one SELECT statement."
    assert refusal("SELEC 1").startswith("Could not parse the SQL")


def test_duplicate_column_names_are_made_unique(warehouse_path):
    result = run_console_query(warehouse_path, "SELECT 1 AS x, 2 AS x", FAST)
    assert list(result.frame.columns) == ["x", "x_2"]


def test_unparsable_sql_is_refused_by_the_worker(warehouse_path):
    result = run_console_query(warehouse_path, "SELEC 1", FAST)
    assert result.status == "refused"
    assert result.message.startswith('Could not parse the SQL: Parser Error: syntax error at or near "SELEC"')


def test_every_duckdb_value_type_comes_back_with_its_value(warehouse_path):
    # The dashboard loads the worker's reply with only these value types allowed: each must pass.
    sql = (
        "SELECT TIMESTAMPTZ '2025-01-06 08:00:00+00' AS tstz, TIMESTAMP '2025-01-06 08:00' AS ts, DATE '2025-01-06' AS d, "
        "TIME '10:00' AS t, '10:00:00+02'::TIMETZ AS ttz, INTERVAL 3 DAY AS iv, 1.50::DECIMAL(10, 2) AS dec, "
        "'d2d26fe7-ebea-409f-a6eb-9fc1be5870ac'::UUID AS id, 12345678901234567890123::HUGEINT AS huge, "
        "[1, 2] AS list, {'a': 1} AS struct, MAP {'k': 1} AS map, 'x'::BLOB AS blob, 'a'::ENUM('a', 'b') AS enum, "
        "'{\"a\": 1}'::JSON AS json, 'nan'::DOUBLE AS nan, NULL AS nothing"
    )
    result = run_console_query(warehouse_path, sql, FAST)
    assert result.ok, result.message
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        expected = con.execute(sql).fetchall()[0]
    shown = result.frame.iloc[0].tolist()
    # pandas shows timestamps as its Timestamp (equal to the datetime); NaN equals nothing.
    assert [a == b or (a != a and b != b) for a, b in zip(shown, expected, strict=True)] == [True] * len(expected)


def test_a_reply_that_would_run_code_in_the_dashboard_is_not_loaded(warehouse_path, tmp_path):
    # A worker gone wrong answers with a pickle that calls os.system when loaded.
    marker = tmp_path / "ran"
    evil = tmp_path / "evil_worker.py"
    evil.write_text(
        "import os, pickle, sys\n"
        "class Evil:\n"
        f"    def __reduce__(self): return (os.system, ('touch {marker}',))\n"
        "sys.stdout.buffer.write(pickle.dumps({'error': None, 'columns': ['x'], 'rows': [(Evil(),)], "
        "'cut': None, 'elapsed_s': 0.0}))\n"
    )
    result = run_console_query(warehouse_path, "SELECT 1", FAST, worker=evil)
    assert result.status == "sql"
    assert result.message == (
        "The query worker's reply could not be read: the worker's reply holds a posix.system, which the console does not load"
    )
    assert not marker.exists()


def test_column_names_past_the_byte_cap_are_refused(warehouse_path):
    # Column names count towards the result's bytes too (a PIVOT can make a column per value).
    tiny = ConsoleLimits(row_cap=100, max_result_bytes=1_000, timeout_s=5.0)
    result = run_console_query(warehouse_path, f'SELECT 1 AS "{"c" * 2_000}"', tiny)
    assert result.status == "too_big"
    assert result.message == "Refused: the result has 1 columns; their names alone pass the 0.001 MB result limit."
