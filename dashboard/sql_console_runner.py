"""The SQL console's executor: every statement runs, and is even parsed, in a bounded worker process.

Defence in layers: (1) here, only a length check that costs nothing (no parsing: DuckDB's parser
took 13.8 s and 3.4 GB on an 800 KB nested query); (2) the worker (`dashboard.sql_worker`)
parses the statement and refuses anything but exactly one SELECT-like statement, opens the
published file read-only (or attaches the DuckLake warehouse read-only at its published
snapshot, see `dashboard.sql_worker_lake`) with file and network access off, extensions off and
the configuration locked, caps its own address space (RLIMIT_AS), interrupts its query at the timeout and returns
at most `row_cap` rows and `max_result_bytes`; (3) `dashboard.worker_process` kills the worker at
the deadline whatever it is doing, reads at most the allowed reply and loads only plain values;
(4) at most `MAX_WORKERS` consoles run at once, so runaway queries cannot pile up. The Streamlit
server only ever waits on a pipe, so one user's query never freezes the app for the others.
"""

from __future__ import annotations

import pickle
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.snapshot import WarehouseMissing, lake_snapshot_id
from dashboard.worker_process import load_reply, run_worker, signal_name
from warehouse import ducklake
from warehouse.paths import DuckLakeLocation

WORKER_PATH = Path(__file__).with_name("sql_worker.py")
MAX_WORKERS = 4
# Room in the reply for the column names' framing, the status and the timings.
REPLY_OVERHEAD_BYTES = 1_000_000
_slots = threading.BoundedSemaphore(MAX_WORKERS)


@dataclass(frozen=True)
class ConsoleLimits:
    """How much one console query may use."""

    row_cap: int = 1_000
    max_result_bytes: int = 16_000_000
    max_sql_chars: int = 100_000
    timeout_s: float = 10.0
    kill_grace_s: float = 2.0
    # On DuckLake the worker first loads two extensions and attaches the lake (1.6-8.6 s measured
    # on a 2-core machine at load 10); the query's timeout starts after that.
    lake_open_s: float = 20.0
    memory_limit: str = "512MB"
    worker_address_space_bytes: int = 2**30
    threads: int = 2


@dataclass
class ConsoleResult:
    """What the console shows: a result table, or why there is none (`status` != 'ok')."""

    status: str  # ok | refused | timeout | killed | memory | too_big | sql | busy
    message: str = ""
    frame: pd.DataFrame = field(default_factory=pd.DataFrame)
    truncated: bool = False
    elapsed_s: float = 0.0

    @property
    def ok(self) -> bool:
        """True when the statement ran and `frame` holds its (possibly capped) result."""
        return self.status == "ok"


def run_console_query(
    db_path: Path | DuckLakeLocation, sql: str, limits: ConsoleLimits = ConsoleLimits(), worker: Path = WORKER_PATH
) -> ConsoleResult:
    """Run one read-only statement on the warehouse at `db_path` (a file, or the DuckLake warehouse
    at the published snapshot the pages read) in a separate worker process."""
    if len(sql) > limits.max_sql_chars:
        return ConsoleResult(
            "refused",
            f"The SQL is {len(sql):,} characters long; the console runs statements of at most {limits.max_sql_chars:,}.",
        )
    try:
        request = _request(db_path, sql, limits)
    except WarehouseMissing as missing:
        return ConsoleResult("refused", str(missing))
    if isinstance(db_path, Path) and not db_path.exists():
        return ConsoleResult("refused", f"No published warehouse at {db_path}.")
    if not _slots.acquire(blocking=False):
        return ConsoleResult("busy", f"{MAX_WORKERS} console queries are already running; try again shortly.")
    try:
        outcome = run_worker(
            worker,
            request,
            limits.timeout_s + limits.kill_grace_s + (limits.lake_open_s if request["lake"] else 0.0),
            limits.max_result_bytes + REPLY_OVERHEAD_BYTES,
        )
    finally:
        _slots.release()
    if outcome.kind == "deadline":
        return ConsoleResult(
            "killed", f"Stopped: the query did not end at the {limits.timeout_s:g} s limit, so its worker process was ended."
        )
    if outcome.kind == "oversize":
        return ConsoleResult(
            "too_big",
            f"Stopped: the worker sent more than the {limits.max_result_bytes / 1e6:g} MB "
            "result limit, so its worker process was ended.",
        )
    if outcome.kind == "died":
        return _died(outcome, limits)
    try:
        reply = load_reply(outcome.reply)
    except (pickle.UnpicklingError, EOFError, AttributeError, ValueError) as error:
        return ConsoleResult("sql", f"The query worker's reply could not be read: {error}")
    return _to_result(reply, limits)


def _request(db_path: Path | DuckLakeLocation, sql: str, limits: ConsoleLimits) -> dict:
    return {
        "db_path": str(db_path) if isinstance(db_path, Path) else None,
        "lake": _lake(db_path) if isinstance(db_path, DuckLakeLocation) else None,
        "sql": sql,
        "row_cap": limits.row_cap,
        "max_result_bytes": limits.max_result_bytes,
        "timeout_s": limits.timeout_s,
        "memory_limit": limits.memory_limit,
        "address_space_bytes": limits.worker_address_space_bytes,
        "threads": limits.threads,
    }


def _lake(location: DuckLakeLocation) -> dict:
    """What the worker needs to open the DuckLake warehouse at the snapshot the pages read."""
    return {
        "catalog": location.catalog,
        "data_path": location.data_path,
        "snapshot": lake_snapshot_id(location),
        "extensions": [(str(ducklake.extension_file(module, name)), name) for module, name in ducklake.EXTENSIONS],
    }


def _died(outcome, limits: ConsoleLimits) -> ConsoleResult:
    how = signal_name(outcome.returncode)
    if "MemoryError" in outcome.stderr_tail or how == "SIGABRT":
        # An allocation failure DuckDB cannot turn into an exception ends in std::terminate (SIGABRT).
        return ConsoleResult(
            "memory",
            f"Stopped: the query worker died ({how}), most likely out of its "
            f"{limits.worker_address_space_bytes / 2**30:g} GB of memory.",
        )
    return ConsoleResult("sql", f"The query worker failed ({how}): {outcome.stderr_tail or 'no output'}")


def _to_result(reply: dict, limits: ConsoleLimits) -> ConsoleResult:
    if reply["error"]:
        return ConsoleResult(reply["error"], reply["message"])
    frame = pd.DataFrame.from_records(reply["rows"], columns=_unique(reply["columns"]))
    message = f"{len(frame):,} rows in {reply['elapsed_s']:.2f} s"
    if reply["cut"] == "rows":
        message = f"Showing the first {limits.row_cap:,} rows; the result has more."
    elif reply["cut"] == "bytes":
        message = (
            f"Result truncated at {limits.max_result_bytes / 1e6:g} MB: showing the first {len(frame):,} rows; "
            "the result has more."
        )
    return ConsoleResult("ok", message, frame, reply["cut"] is not None, reply["elapsed_s"])


def _unique(columns: list[str]) -> list[str]:
    """Column names made unique (`SELECT 1, 1` gives two columns named '1')."""
    seen: dict[str, int] = {}
    names = []
    for name in columns:
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return names
