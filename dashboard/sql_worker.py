"""The SQL console's worker process: runs ONE read-only statement on the published warehouse.

Started by `dashboard.sql_console` as a separate interpreter (`python sql_worker.py`), it reads a
pickled request on stdin and writes a pickled reply on stdout. It imports nothing of the project,
so a runaway query can only ever take this process down. The database is opened with every
door shut that DuckDB offers: read-only, no file or network access (no read_csv, COPY, ATTACH,
INSTALL/LOAD), no extension autoloading, bounded memory and no spilling, and the configuration
locked so `SET`/`PRAGMA` cannot reopen any of it.
"""

from __future__ import annotations

import pickle
import sys
import threading
import time

import duckdb

READ_STATEMENTS = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}


def locked_config(memory_limit: str, threads: int) -> dict[str, object]:
    """The DuckDB configuration the console runs under (lock_configuration must come last)."""
    return {
        "access_mode": "READ_ONLY",
        "enable_external_access": False,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_community_extensions": False,
        "temp_directory": "",
        "memory_limit": memory_limit,
        "threads": threads,
        "lock_configuration": True,
    }


def run(request: dict) -> dict:
    """Execute the request's single read statement and return columns and at most cap+1 rows."""
    started = time.monotonic()
    con = duckdb.connect(request["db_path"], config=locked_config(request["memory_limit"], request["threads"]))
    statements = con.extract_statements(request["sql"])
    if len(statements) != 1 or statements[0].type not in READ_STATEMENTS:
        # The parent checks this too; a second check here keeps the worker safe on its own.
        return {"error": "refused", "message": "Only one read-only statement is allowed."}
    timer = threading.Timer(request["timeout_s"], con.interrupt)
    timer.start()
    try:
        cursor = con.execute(statements[0])
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchmany(request["row_cap"] + 1)
    except duckdb.InterruptException:
        return {"error": "timeout", "message": f"Stopped: the query ran past the {request['timeout_s']:g} s limit."}
    except duckdb.OutOfMemoryException:
        return {"error": "memory", "message": f"Stopped: the query needed more than the {request['memory_limit']} memory limit."}
    except duckdb.PermissionException as error:
        return {"error": "refused", "message": f"Refused: the console cannot read or write files or extensions. ({error})"}
    except duckdb.Error as error:
        return {"error": "sql", "message": str(error)}
    finally:
        timer.cancel()
        con.close()
    return {
        "error": None,
        "columns": columns,
        "rows": rows[: request["row_cap"]],
        "truncated": len(rows) > request["row_cap"],
        "elapsed_s": time.monotonic() - started,
    }


def main() -> None:
    """Read one request from stdin, answer on stdout."""
    request = pickle.loads(sys.stdin.buffer.read())
    try:
        reply = run(request)
    except duckdb.Error as error:
        reply = {"error": "sql", "message": str(error)}
    sys.stdout.buffer.write(pickle.dumps(reply))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
