"""`papers export --out DIR`: the published warehouse as Parquet files with a data card."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from papers_settings import Settings
    from warehouse.export.parquet import WrittenTable

import time
from pathlib import Path

from rich.console import Console
from rich.text import Text


def register(subparsers, settings: Settings) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write every public table as Parquet, with a README data card and schema.json",
        description="Export $PAPERS_HOME/warehouse.duckdb (opened read-only, one snapshot; with "
        "PAPERS_DUCKLAKE_CATALOG set, the DuckLake warehouse's newest published snapshot) to DIR: one folder "
        "per table, papers, paper_authors, votes and author_papers partitioned by month of listing_date, plus "
        "README.md and schema.json. The export is written beside DIR and swapped in when complete, so a failed "
        "export leaves the previous one whole. DIR must be missing, empty or an earlier export.",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="the export folder")
    parser.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    import duckdb

    from warehouse.export import ExportTargetError, export_warehouse

    # soft_wrap: each message stays one line, however narrow the terminal or pipe.
    console = Console(stderr=True, soft_wrap=True)
    started = time.monotonic()

    def progress(written: WrittenTable) -> None:
        months = f" in {len(written.partitions)} months" if written.table.partitioned else ""
        console.print(Text(f"  {written.table.name}: {written.rows:,} rows{months}"))

    try:
        warehouse = settings.warehouse.ducklake or settings.warehouse.published_path
        result = export_warehouse(warehouse, Path(args.out), on_table_written=progress)
    except (FileNotFoundError, ExportTargetError) as error:
        console.print(Text(f"papers export: {error}", style="red"))
        return 1
    except (duckdb.Error, OSError, RuntimeError) as error:
        console.print(Text(f"papers export failed, the previous export (if any) is unchanged: {error}", style="red"))
        return 1
    first, last = result.snapshot.first_listing_date, result.snapshot.last_listing_date
    console.print(
        Text(
            f"Exported {len(result.tables)} tables (listing dates {first} to {last}) to {result.out}: "
            f"{result.files} files, {result.size_bytes / 1e6:.1f} MB in {time.monotonic() - started:.1f} s"
        )
    )
    return 0
