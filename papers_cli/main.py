"""`papers`: the command line for what people do from a terminal.

Each subcommand lives in its own module with `register(subparsers)`; this file only wires them.
"""

from __future__ import annotations

import argparse
import gc
import sys
import warnings

from papers_cli import cmd_backfill, cmd_bench, cmd_digest, cmd_export, cmd_import_listing, cmd_sql, cmd_up, cmd_warehouse
from papers_settings import Settings, SettingsError

COMMANDS = [cmd_up, cmd_backfill, cmd_sql, cmd_import_listing, cmd_digest, cmd_export, cmd_warehouse, cmd_bench]


def build_parser(settings: Settings | None = None) -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered (defaults from `settings`, else the
    environment's)."""
    settings = settings or Settings.from_env()
    parser = argparse.ArgumentParser(
        prog="papers",
        description="Hugging Face Daily Papers warehouse: ingest, query, and run the UI.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.register(subparsers, settings)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `papers` console script; returns the exit status."""
    # Dagster flags beta parameters (backfill_policy) on every import; not actionable for users.
    warnings.filterwarnings("ignore", message=r".*is currently in (beta|preview).*")
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"papers: {error}", file=sys.stderr)
        return 2
    args = build_parser(settings).parse_args(argv)
    from warehouse.migrate import MigrationError

    try:
        return args.handler(args, settings) or 0
    except MigrationError as error:  # a DuckDB 2.0 warehouse that could not be migrated
        print(f"papers: {error}", file=sys.stderr)
        return 2


def command() -> None:
    """The `papers` console script and `python -m papers_cli.main`: `main()`, then exit.

    Before exiting, the objects the command leaves (~270k after a backfill: Dagster, Polars,
    DuckDB modules) are frozen out of the garbage collector, so Python's last collections at exit
    do not walk them all again: ~1 s of CPU per command (docs/benchmark.md). Module teardown still
    closes what is open (the commands close their warehouses and Dagster instance before this).
    """
    status = main()
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    command()
