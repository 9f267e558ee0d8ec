"""`papers`: the command line for what people do from a terminal.

Each subcommand lives in its own module with `register(subparsers)`; this file only wires them.
"""

from __future__ import annotations

import argparse
import sys
import warnings

from papers_cli import cmd_backfill, cmd_bench, cmd_import_listing, cmd_sql, cmd_up

COMMANDS = [cmd_up, cmd_backfill, cmd_sql, cmd_import_listing, cmd_bench]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="papers",
        description="Hugging Face Daily Papers warehouse: ingest, query, and run the UI.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `papers` console script; returns the exit status."""
    # Dagster flags beta parameters (backfill_policy) on every import; not actionable for users.
    warnings.filterwarnings("ignore", message=r".*is currently in (beta|preview).*")
    args = build_parser().parse_args(argv)
    from warehouse.migrate import MigrationError

    try:
        return args.handler(args) or 0
    except MigrationError as error:  # a DuckDB 2.0 warehouse that could not be migrated
        print(f"papers: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
