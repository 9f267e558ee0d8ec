"""The SQL console's limits hold against hostile input, with a real worker process every time.

Each attack runs in a separate process that stands in for the dashboard (`bench.console_harness`,
driven by `bench.console_attacks.measure`), so its memory can be measured alone: psutil samples it
and its worker while the query runs, and the harness reports its own exact peak (VmHWM). The
bounds asserted are correctness limits of the process under test, not timings.
"""

from __future__ import annotations

import threading
import time

import psutil
import pytest

from bench.console_attacks import NESTED_800_KB, Measured, measure
from dashboard.sql_console_runner import ConsoleLimits, run_console_query

MB = 1_000_000
# The dashboard side holds at most a 16 MB reply and its DataFrame, on top of Python, pandas and
# NumPy (~130 MB measured); the product promise is < 1 GB for the whole Streamlit process.
DASHBOARD_SIDE_MAX_BYTES = 300 * MB
# RLIMIT_AS caps mapped memory, so resident memory can never pass it.
WORKER_MAX_BYTES = ConsoleLimits().worker_address_space_bytes


def assert_bounded(measured: Measured) -> None:
    """The dashboard side stayed small and the worker inside its address-space cap."""
    assert measured.dashboard_peak < DASHBOARD_SIDE_MAX_BYTES, f"dashboard side peaked at {measured.dashboard_peak / MB:.0f} MB"
    assert measured.worker_peak <= WORKER_MAX_BYTES, f"worker peaked at {measured.worker_peak / MB:.0f} MB"


def test_an_800_kb_nested_query_is_refused_without_being_parsed(warehouse_path):
    measured = measure(warehouse_path, NESTED_800_KB)
    assert measured.outcome["status"] == "refused"
    assert measured.outcome["message"] == ("The SQL is 800,008 characters long; the console runs statements of at most 100,000.")
    assert measured.worker_peak == 0  # refused before any worker started
    assert_bounded(measured)


def test_an_800_kb_nested_query_is_parsed_in_the_worker_and_refused_there(warehouse_path):
    # With the length check lifted, the worker parses it: DuckDB 1.5.5's parser gives up on the
    # nesting at once ("memory exhausted" is its parser stack), where 2.0's grew until RLIMIT_AS.
    measured = measure(warehouse_path, NESTED_800_KB, max_sql_chars=1_000_000)
    assert measured.outcome["status"] == "refused", measured.outcome
    assert measured.outcome["message"].startswith("Could not parse the SQL: Parser Error")
    assert measured.worker_peak > 0  # the worker, not the dashboard, did the parsing
    assert_bounded(measured)


def test_a_memory_bomb_is_stopped_by_the_worker_memory_limit(warehouse_path):
    # A list is not managed by DuckDB's buffer pool, so memory_limit alone let this reach 4.3 GB.
    measured = measure(warehouse_path, "SELECT list_sum(range(1000000000))")
    assert measured.outcome["status"] == "memory", measured.outcome
    assert measured.outcome["message"].startswith("Stopped: the query needed more memory than the console allows")
    assert_bounded(measured)


def test_a_thousand_one_megabyte_strings_are_stopped_in_the_worker(warehouse_path):
    # DuckDB builds result rows 2,048 at a time, so these 1,000 rows (1 GB) exist at once: the
    # worker runs out of its memory before a single row could be sent.
    measured = measure(warehouse_path, "SELECT i, repeat('x', 1000000) AS s FROM range(1000) t(i)")
    assert measured.outcome["status"] == "memory", measured.outcome
    assert measured.outcome["message"].startswith("Stopped: the query needed more memory than the console allows")
    assert_bounded(measured)


def test_a_large_result_is_truncated_at_the_byte_cap(warehouse_path):
    # 1,000 rows of 100 kB: 100 MB, six times the 16 MB the console returns.
    measured = measure(warehouse_path, "SELECT i, repeat('x', 100000) AS s FROM range(1000) t(i)")
    outcome = measured.outcome
    assert outcome["status"] == "ok" and outcome["truncated"], outcome
    # Each row pickles to a little over 100,000 bytes, so 159 rows fit in 16,000,000.
    assert outcome["rows"] == 159
    assert outcome["message"] == "Result truncated at 16 MB: showing the first 159 rows; the result has more."
    assert_bounded(measured)


def test_a_worker_that_drips_its_reply_is_killed_at_the_deadline(tmp_path, warehouse_path):
    # Stands in for a slow result transfer: a worker that sends one byte of its reply every 0.2 s.
    dripping = tmp_path / "dripping_worker.py"
    dripping.write_text(
        "import sys, time\nwhile True:\n    sys.stdout.buffer.write(b'x')\n    sys.stdout.buffer.flush()\n    time.sleep(0.2)\n"
    )
    measured = measure(warehouse_path, "SELECT 1", worker=dripping, timeout_s=1.0, kill_grace_s=1.0)
    assert measured.outcome["status"] == "killed"
    assert measured.outcome["message"] == "Stopped: the query did not end at the 1 s limit, so its worker process was ended."
    assert_bounded(measured)


def test_a_worker_that_sends_too_much_is_killed_before_the_dashboard_holds_it(tmp_path, warehouse_path):
    # A worker gone wrong that streams 1 GB: the dashboard stops reading past 16 MB + 1 MB.
    flooding = tmp_path / "flooding_worker.py"
    flooding.write_text("import sys\nchunk = b'x' * 1_000_000\nfor _ in range(1000):\n    sys.stdout.buffer.write(chunk)\n")
    measured = measure(warehouse_path, "SELECT 1", worker=flooding)
    assert measured.outcome["status"] == "too_big"
    assert measured.outcome["message"] == (
        "Stopped: the worker sent more than the 16 MB result limit, so its worker process was ended."
    )
    assert_bounded(measured)


NEVER_ENDS = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"


@pytest.mark.parametrize(
    ("hostile_sql", "hostile_limits"),
    [
        # Runs until the timeout interrupts it.
        (NEVER_ENDS, ConsoleLimits(timeout_s=8.0)),
        # (The 800 kB nested query no longer holds a worker: DuckDB 1.5.5's parser refuses it at once.)
    ],
    ids=["never-ending"],
)
def test_a_second_query_completes_while_a_hostile_one_runs(warehouse_path, hostile_sql, hostile_limits):
    hostile: dict = {}
    thread = threading.Thread(
        target=lambda: hostile.update(result=run_console_query(warehouse_path, hostile_sql, hostile_limits))
    )
    thread.start()
    try:
        wait_for_worker_of(psutil.Process())
        second = run_console_query(warehouse_path, "SELECT count(*) AS n FROM papers")
        still_running = thread.is_alive()
    finally:
        thread.join()
    assert second.ok and second.frame["n"].tolist() == [5]
    assert still_running, "the hostile query ended before the second one: nothing was shown"
    assert hostile["result"].status in {"timeout", "memory"}
    assert hostile["result"].message.startswith("Stopped")


def wait_for_worker_of(process: psutil.Process) -> None:
    """Block until `process` has a console worker child (the hostile query is under way)."""
    for _ in range(500):
        if any("sql_worker.py" in " ".join(c.cmdline()) for c in process.children()):
            return
        time.sleep(0.02)
    pytest.fail("no console worker started")
