"""`papers sql "SELECT ..."`: a read-only query on the published warehouse, printed as a table."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from papers_settings import Settings

import sys

import duckdb
from rich.console import Console
from rich.table import Table

from warehouse.backend import open_reader
from warehouse.migrate import MigrationError


def register(subparsers, settings: Settings) -> None:
    parser = subparsers.add_parser(
        "sql",
        help="run a read-only SQL query on the published warehouse",
        description="Run one query on $PAPERS_HOME/warehouse.duckdb (or the DuckLake warehouse's "
        "newest published snapshot when PAPERS_DUCKLAKE_CATALOG is set), opened read-only.",
    )
    parser.add_argument("query", help='the SQL text, e.g. "SELECT count(*) FROM papers"')
    parser.add_argument("--max-rows", type=int, default=50, help="rows to print (default 50)")
    parser.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    parser.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    err = Console(stderr=True)
    try:
        con = open_reader(settings.warehouse)
    except MigrationError:
        raise  # papers prints it in one line (papers_cli/main.py)
    except (FileNotFoundError, RuntimeError) as error:
        err.print(f"[red]{error}[/red]")
        return 2
    try:
        cursor = con.execute(args.query)
        if cursor.description is None:
            return 0
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchmany(args.max_rows + 1)
    except duckdb.Error as error:
        err.print(f"[red]query failed:[/red] {error}")
        return 1
    finally:
        con.close()
    shown, more = rows[: args.max_rows], len(rows) > args.max_rows
    if args.csv:
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(shown)
    else:
        print_table(columns, shown)
    if more:
        err.print(f"(showing the first {args.max_rows} rows; use --max-rows for more)")
    return 0


def print_table(columns: list[str], rows: list[tuple]) -> None:
    """Print rows as a terminal table, wide enough not to truncate ids."""
    table = Table(*columns, show_lines=False)
    for row in rows:
        table.add_row(*["" if value is None else str(value) for value in row])
    Console(width=max(120, Console().width)).print(table)
