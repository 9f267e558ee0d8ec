"""`papers warehouse migrate --to ducklake|file`: copy the whole warehouse between the local
file and the DuckLake warehouse, atomically (warehouse/lake_migration.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from papers_settings import Settings

from rich.console import Console

NEEDS_LAKE = (
    "`papers warehouse migrate` copies between $PAPERS_HOME/warehouse.duckdb and the DuckLake "
    "warehouse: set PAPERS_DUCKLAKE_CATALOG and PAPERS_DUCKLAKE_DATA_PATH to name the lake."
)


def register(subparsers, settings: Settings) -> None:
    parser = subparsers.add_parser(
        "warehouse",
        help="copy the warehouse between the local file and DuckLake",
        description="Manage where the warehouse lives.",
    )
    actions = parser.add_subparsers(dest="action", required=True)
    migrate = actions.add_parser(
        "migrate",
        help="copy the whole warehouse into DuckLake or back into the local file",
        description="--to ducklake: copy $PAPERS_HOME/warehouse.duckdb into the DuckLake warehouse "
        "(PAPERS_DUCKLAKE_*), replacing its tables, in one published commit. --to file: write the "
        "DuckLake warehouse's newest published snapshot to $PAPERS_HOME/warehouse.duckdb (and the "
        "working file), swapped in whole; the files it replaces are kept as *.before-migrate.",
    )
    migrate.add_argument("--to", choices=("ducklake", "file"), required=True, help="where the copy goes")
    migrate.set_defaults(handler=run_migrate)


def run_migrate(args, settings: Settings) -> int:
    from warehouse.lake_migration import file_to_lake, lake_to_file

    console = Console(stderr=True, soft_wrap=True)
    paths = settings.warehouse
    if paths.ducklake is None:
        console.print(f"[red]{NEEDS_LAKE}[/red]")
        return 2
    try:
        if args.to == "ducklake":
            result = file_to_lake(paths.published_path, paths.ducklake)
        else:
            result = lake_to_file(paths.ducklake, paths.working_path, paths.published_path)
    except (FileNotFoundError, RuntimeError) as error:
        console.print(f"[red]{error}[/red]")
        return 2
    published = result.published if isinstance(result.published, str) else result.published.path
    console.print(f"Copied {len(result.rows)} tables ({sum(result.rows.values()):,} rows) to {published}.")
    if args.to == "file":
        console.print("Unset PAPERS_DUCKLAKE_CATALOG and PAPERS_DUCKLAKE_DATA_PATH to use the file warehouse.")
    else:
        console.print("Keep PAPERS_DUCKLAKE_CATALOG and PAPERS_DUCKLAKE_DATA_PATH set for every process to use it.")
    return 0
