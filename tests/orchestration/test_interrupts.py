"""Inside stop_on_signals a signal ends the block as StepInterrupted, a Failure never retried."""

from __future__ import annotations

import os
import signal
import threading
import time

import duckdb
import pytest

from orchestration.runs.interrupts import StepInterrupted, received_signal, stop_on_signals


def signal_soon(sig: int, after: float = 0.3) -> threading.Timer:
    timer = threading.Timer(after, lambda: os.kill(os.getpid(), sig))
    timer.start()
    return timer


def test_sigterm_in_python_code_stops_the_block_and_the_handlers_are_restored():
    before = signal.getsignal(signal.SIGTERM)
    signal_soon(signal.SIGTERM)
    started = time.monotonic()
    with pytest.raises(StepInterrupted) as stopped, stop_on_signals():
        time.sleep(30)
    assert time.monotonic() - started < 5
    assert not stopped.value.allow_retries and "SIGTERM" in str(stopped.value.description)
    assert received_signal() == "SIGTERM"
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_signal_during_a_duckdb_statement_counts_as_the_interrupt(tmp_path):
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    con.execute("CREATE TABLE t AS SELECT 1::BIGINT AS x")
    con.execute("BEGIN")
    signal_soon(signal.SIGINT)
    with pytest.raises(StepInterrupted), stop_on_signals():
        con.execute("INSERT INTO t SELECT count(*) FROM range(3000000000)")
    # DuckDB reported "Query interrupted" instead of our exception; the transaction is still ours
    # to roll back, and nothing of the statement was kept.
    con.execute("ROLLBACK")
    assert con.execute("SELECT count(*) FROM t").fetchall() == [(1,)]


def test_other_errors_pass_through_unchanged():
    with pytest.raises(RuntimeError, match="not a signal"), stop_on_signals():
        raise RuntimeError("not a signal")
    assert received_signal() is None
