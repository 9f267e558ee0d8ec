"""Copy a DuckDB database into the storage format the pinned duckdb reads (run by a newer DuckDB).

    uv run --no-project --with duckdb==2.0.0 python -m warehouse.migrate_copy OLD NEW

Run in a separate process with the DuckDB release that wrote OLD (the project's own duckdb
cannot open it). Attaches OLD read-only, creates NEW with STORAGE_VERSION
`warehouse.storage_format.WRITE_STORAGE_VERSION`, copies everything (tables, views, macros,
sequences, indexes) with COPY FROM DATABASE, checkpoints, and prints one JSON object: the row
count of every table in OLD, for the caller to compare with NEW. Imports only duckdb and the
standard library, so it runs in an environment that has nothing of the project installed.
"""

from __future__ import annotations

import json
import sys

import duckdb

from warehouse.storage_format import WRITE_STORAGE_VERSION


def table_counts(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, int]:
    """Rows per table (`schema.table`) of an attached database."""
    tables = con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY 1, 2",
        [catalog],
    ).fetchall()
    return {
        f"{schema}.{table}": con.execute(f'SELECT count(*) FROM "{catalog}"."{schema}"."{table}"').fetchall()[0][0]
        for schema, table in tables
    }


def copy_database(old: str, new: str) -> dict[str, int]:
    """Copy `old` into a new file `new` in the supported format; the row counts of `old`."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("ATTACH ? AS old_db (READ_ONLY)", [old])
        con.execute(f"ATTACH ? AS new_db (STORAGE_VERSION '{WRITE_STORAGE_VERSION}')", [new])
        con.execute("COPY FROM DATABASE old_db TO new_db")
        con.execute("CHECKPOINT new_db")
        counts = table_counts(con, "old_db")
        copied = table_counts(con, "new_db")
        if copied != counts:
            raise SystemExit(f"copy of {old} differs from it: {counts} rows vs {copied}")
        return counts
    finally:
        con.close()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m warehouse.migrate_copy OLD NEW", file=sys.stderr)
        return 2
    print(json.dumps({"duckdb": duckdb.__version__, "tables": copy_database(*argv)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
