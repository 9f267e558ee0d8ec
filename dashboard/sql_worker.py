"""The SQL console's worker process: checks and runs ONE read-only statement on the published warehouse.

Started by `dashboard.sql_console_runner` as a separate interpreter (`python -I sql_worker.py request`),
it reads a pickled request from the file named on its command line and writes a pickled reply on
stdout. It imports nothing of the project, so a runaway query can only ever take this process
down. Everything that can cost memory or time happens here, never in the dashboard: parsing the
statement, checking it, running it and fetching its rows.

Its limits: the whole process may map at most `address_space_bytes` (RLIMIT_AS, set before
DuckDB allocates anything; DuckDB's own `memory_limit` does not cover lists, strings in flight or
the parser), the reply holds at most `row_cap` rows and `max_result_bytes` of pickled rows, and the
query is interrupted at `timeout_s` (the dashboard kills the process shortly after if it has not
answered). The database is opened with every door shut that DuckDB offers: read-only, no file or
network access (no read_csv, COPY, ATTACH, INSTALL/LOAD), no extension autoloading, no spilling,
and the configuration locked so `SET`/`PRAGMA` cannot reopen any of it. A DuckLake warehouse
(`request["lake"]`) is opened by `dashboard.sql_worker_lake`: attached read-only at its published
snapshot, then locked the same way with file reads allowed for that snapshot's files only.
"""

from __future__ import annotations

import importlib.util
import pickle
import resource
import sys
import threading
import time
from pathlib import Path
from types import ModuleType

import duckdb

READ_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
FETCH_BATCH_ROWS = 64


def limits_config(memory_limit: str, threads: int) -> dict[str, str | bool | int | float | list[str]]:
    """What every console connection is opened with: no extension loading, no spilling, the limits."""
    return {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_community_extensions": False,
        "temp_directory": "",
        "memory_limit": memory_limit,
        "threads": threads,
    }


def locked_config(memory_limit: str, threads: int) -> dict[str, str | bool | int | float | list[str]]:
    """The DuckDB configuration the console runs under on the file (lock_configuration must come last)."""
    return {
        "access_mode": "READ_ONLY",
        "enable_external_access": False,
        **limits_config(memory_limit, threads),
        "lock_configuration": True,
    }


def single_read(sql: str, parse=duckdb.extract_statements) -> tuple[duckdb.Statement | None, str | None]:
    """(the statement, None) if `sql` is exactly one read statement, else (None, why it may not run)."""
    try:
        statements = parse(sql)
    except duckdb.ParserException as error:
        return None, f"Could not parse the SQL: {error}"
    if not statements:
        return None, "Nothing to run: type one SELECT statement."
    if len(statements) > 1:
        return None, f"Run one statement at a time: found {len(statements)} statements."
    statement = statements[0]
    if statement.type not in READ_STATEMENTS:
        keyword = statement.query.split(maxsplit=1)[0].upper() if statement.query.strip() else "?"
        return None, (
            f"{keyword} is not allowed: the console is read-only and runs one SELECT, WITH, FROM, "
            "DESCRIBE, SHOW, SUMMARIZE or EXPLAIN statement."
        )
    return statement, None


def refusal(sql: str) -> str | None:
    """Why `sql` may not run in the console, or None if it is a single read statement."""
    return single_read(sql)[1]


def fetch_capped(cursor, row_cap: int, max_bytes: int) -> tuple[list[tuple], str | None, int]:
    """At most `row_cap` rows whose pickled size stays within `max_bytes`, fetched a batch at a time.

    Returns (rows, why it stopped early: 'rows' | 'bytes' | None, bytes kept).
    """
    rows: list[tuple] = []
    size = 0
    while True:
        batch = cursor.fetchmany(FETCH_BATCH_ROWS)
        if not batch:
            return rows, None, size
        for row in batch:
            if len(rows) == row_cap:
                return rows, "rows", size
            row_size = len(pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL))
            if size + row_size > max_bytes:
                return rows, "bytes", size
            rows.append(row)
            size += row_size


def run(request: dict, started: float) -> dict:
    """Check and execute the request's statement; return columns and the capped rows, or why not."""
    lake = lake_module() if request.get("lake") else None
    if lake is None:
        con = duckdb.connect(request["db_path"], config=locked_config(request["memory_limit"], request["threads"]))
    else:
        con = lake.connect(request["lake"], limits_config(request["memory_limit"], request["threads"]))
        # Opening the lake (two extensions, the catalog) has its own allowance; the query gets its full time.
        started = time.monotonic()
    # Started before parsing: DuckDB cannot interrupt its parser, but the dashboard kills the
    # process at its deadline, and everything after parsing is interruptible.
    timer = threading.Timer(max(0.0, request["timeout_s"] - (time.monotonic() - started)), con.interrupt)
    timer.start()
    try:
        statement, reason = single_read(request["sql"], con.extract_statements)
        if statement is not None and lake is not None:
            reason = lake.refusal(con, statement)
        if statement is None or reason is not None:
            return {"error": "refused", "message": reason}
        cursor = con.execute(statement)
        columns = [d[0] for d in cursor.description]
        header_bytes = len(pickle.dumps(columns))
        if header_bytes > request["max_result_bytes"]:
            return {
                "error": "too_big",
                "message": f"Refused: the result has {len(columns):,} columns; their names alone "
                f"pass the {request['max_result_bytes'] / 1e6:g} MB result limit.",
            }
        rows, cut, size = fetch_capped(cursor, request["row_cap"], request["max_result_bytes"] - header_bytes)
    except duckdb.InterruptException:
        return {"error": "timeout", "message": f"Stopped: the query ran past the {request['timeout_s']:g} s limit."}
    except (duckdb.OutOfMemoryException, MemoryError):
        return {"error": "memory", "message": memory_message(request)}
    except duckdb.PermissionException as error:
        return {"error": "refused", "message": f"Refused: the console cannot read or write files or extensions. ({error})"}
    except duckdb.Error as error:
        return {"error": "sql", "message": str(error)}
    finally:
        timer.cancel()
        con.close()
    return {"error": None, "columns": columns, "rows": rows, "cut": cut, "bytes": size, "elapsed_s": time.monotonic() - started}


def lake_module() -> ModuleType:
    """dashboard/sql_worker_lake.py, loaded from beside this file (the worker runs with `python -I`,
    which puts no project folder on sys.path)."""
    spec = importlib.util.spec_from_file_location("sql_worker_lake", Path(__file__).with_name("sql_worker_lake.py"))
    assert spec is not None and spec.loader is not None  # the file ships beside this one
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def memory_message(request: dict) -> str:
    """What the console says when a query runs out of the memory it may use."""
    return (
        f"Stopped: the query needed more memory than the console allows "
        f"({request['memory_limit']} for DuckDB, {request['address_space_bytes'] / 2**30:g} GB for the whole worker)."
    )


def main() -> None:
    """Read the request file named in argv, set the process limits, answer on stdout."""
    started = time.monotonic()
    with open(sys.argv[1], "rb") as handle:
        request = pickle.load(handle)
    limit = request["address_space_bytes"]
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        reply = run(request, started)
    except (duckdb.OutOfMemoryException, MemoryError):
        reply = {"error": "memory", "message": memory_message(request)}
    except duckdb.Error as error:
        reply = {"error": "sql", "message": str(error)}
    sys.stdout.buffer.write(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
