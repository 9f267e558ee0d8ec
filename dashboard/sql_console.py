"""The SQL console's executor: refuse anything but one read statement, run it in a worker process.

Defence in layers: (1) the statement is parsed here with DuckDB's own parser and refused unless it
is exactly one SELECT-like statement; (2) the worker opens the published file read-only with file
and network access off, extensions off and the configuration locked; (3) the worker interrupts its
own query at the timeout, and if the process has not answered shortly after, it is killed; (4) at
most `MAX_WORKERS` consoles run at once, so runaway queries cannot pile up. The Streamlit server
only ever waits on a pipe, so one user's query never freezes the app for the others.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

WORKER_PATH = Path(__file__).with_name("sql_worker.py")
ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
MAX_WORKERS = 4
_slots = threading.BoundedSemaphore(MAX_WORKERS)


@dataclass(frozen=True)
class ConsoleLimits:
    """How much one console query may use."""

    row_cap: int = 1_000
    timeout_s: float = 10.0
    kill_grace_s: float = 5.0
    memory_limit: str = "512MB"
    threads: int = 2


@dataclass
class ConsoleResult:
    """What the console shows: a result table, or why there is none (`status` != 'ok')."""

    status: str  # ok | refused | timeout | killed | memory | sql | busy
    message: str = ""
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    truncated: bool = False
    elapsed_s: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the statement ran and `frame` holds its (possibly capped) result."""
        return self.status == "ok"


def refusal(sql: str) -> str | None:
    """Why `sql` may not run in the console, or None if it is a single read statement."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as error:
        return f"Could not parse the SQL: {error}"
    if not statements:
        return "Nothing to run: type one SELECT statement."
    if len(statements) > 1:
        return f"Run one statement at a time: found {len(statements)} statements."
    statement = statements[0]
    if statement.type not in ALLOWED:
        keyword = statement.query.split(maxsplit=1)[0].upper() if statement.query.strip() else "?"
        return (
            f"{keyword} is not allowed: the console is read-only and runs one SELECT, WITH, FROM, "
            "DESCRIBE, SHOW, SUMMARIZE or EXPLAIN statement."
        )
    return None


def run_console_query(
    db_path: Path, sql: str, limits: ConsoleLimits = ConsoleLimits(), worker: Path = WORKER_PATH
) -> ConsoleResult:
    """Run one read-only statement on the warehouse at `db_path` in a separate worker process."""
    reason = refusal(sql)
    if reason:
        return ConsoleResult("refused", reason)
    if not db_path.exists():
        return ConsoleResult("refused", f"No published warehouse at {db_path}.")
    if not _slots.acquire(blocking=False):
        return ConsoleResult("busy", f"{MAX_WORKERS} console queries are already running; try again shortly.")
    try:
        reply = _ask_worker(worker, _request(db_path, sql, limits), limits)
    finally:
        _slots.release()
    return _to_result(reply, limits)


def _request(db_path: Path, sql: str, limits: ConsoleLimits) -> dict:
    return {
        "db_path": str(db_path),
        "sql": sql,
        "row_cap": limits.row_cap,
        "timeout_s": limits.timeout_s,
        "memory_limit": limits.memory_limit,
        "threads": limits.threads,
    }


def _ask_worker(worker: Path, request: dict, limits: ConsoleLimits) -> dict:
    with tempfile.TemporaryDirectory(prefix="papers-sql-") as scratch:
        # -I and a bare environment: the worker sees no tokens and no project code.
        process = subprocess.Popen(
            [sys.executable, "-I", str(worker)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=scratch,
            env={"HOME": scratch, "LANG": "C.UTF-8"},
        )
        try:
            out, err = process.communicate(pickle.dumps(request), timeout=limits.timeout_s + limits.kill_grace_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return {
                "error": "killed",
                "message": f"Stopped: the query did not end at the {limits.timeout_s:g} s limit, "
                "so its worker process was ended.",
            }
    if process.returncode != 0 or not out:
        tail = err.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        return {"error": "sql", "message": f"The query worker failed (exit {process.returncode}): {tail[0]}"}
    return pickle.loads(out)


def _to_result(reply: dict, limits: ConsoleLimits) -> ConsoleResult:
    if reply["error"]:
        return ConsoleResult(reply["error"], reply["message"])
    frame = pd.DataFrame.from_records(reply["rows"], columns=_unique(reply["columns"]))
    message = f"{len(frame):,} rows in {reply['elapsed_s']:.2f} s"
    if reply["truncated"]:
        message = f"Showing the first {limits.row_cap:,} rows; the result has more."
    return ConsoleResult("ok", message, frame, reply["truncated"], reply["elapsed_s"])


def _unique(columns: list[str]) -> list[str]:
    """Column names made unique (`SELECT 1, 1` gives two columns named '1')."""
    seen: dict[str, int] = {}
    names = []
    for name in columns:
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return names
