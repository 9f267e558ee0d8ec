"""`papers import-listing FILE [--as-of DATE]`: import a saved huggingface.co/papers page."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from papers_settings import Settings

import os
import shutil
from datetime import date
from pathlib import Path
from typing import cast

from rich.console import Console
from rich.text import Text

from papers_cli.dates import iso_date


def register(subparsers, settings: Settings) -> None:
    parser = subparsers.add_parser(
        "import-listing",
        help="import a listing page copied from huggingface.co/papers",
        description="Checks the page, copies it into $PAPERS_HOME/listings/ and runs the Dagster "
        "asset listed_papers, which imports it once per content and publishes the warehouse. "
        "A file that is not a listing page (an HTML save, an empty or binary file, another "
        "format) is refused with exit status 1 and nothing is copied or imported.",
    )
    parser.add_argument("file", help="the saved page (plain text)")
    parser.add_argument(
        "--as-of", type=iso_date, default=None, help="the date the page was saved (resolves dates without a year; default today)"
    )
    parser.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    # soft_wrap: each message stays one line, however narrow the terminal or pipe.
    console = Console(stderr=True, soft_wrap=True)
    source = Path(args.file)
    if not source.is_file():
        console.print(Text(f"{source}: no such file", style="red"))
        return 2
    problem = _not_a_listing(source, args.as_of or date.today())
    if problem:
        console.print(Text.assemble(("Not imported: ", "red"), problem))
        return 1
    from landing.listing_folder import stored_name

    name = stored_name(source.name)
    _copy_into(source, settings.warehouse.listings_dir / name)
    console.print(Text(f"{source}: a listing page; stored as listings/{name}, importing..."))
    return _import(console, settings, name, args.as_of)


def _not_a_listing(source: Path, as_of: date) -> str | None:
    """Why the file is not a listing page (one line naming it), or None when it is one."""
    from transforms.listing import ListingFormatError, parse_listing
    from warehouse.listings import read_listing_file

    try:
        parse_listing(read_listing_file(source, name=str(source)), as_of=as_of, source_file=str(source))
    except ListingFormatError as error:
        return str(error)
    except OSError as error:
        return f"{source}: cannot be read ({error.strerror or error})"
    return None


def _copy_into(source: Path, target: Path) -> None:
    """Copy under a hidden name first, so the folder's sensor never reads half a page."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    shutil.copyfile(source, partial)
    os.replace(partial, target)


def _import(console: Console, settings: Settings, name: str, as_of: date | None) -> int:
    from orchestration.definitions import defs
    from orchestration.runs.backfill import QUIET_RUN_CONFIG
    from orchestration.runs.instance import ensure_dagster_instance

    run_config = {"ops": {"listed_papers": {"config": {"as_of": as_of.isoformat() if as_of else None}}}}
    from orchestration.runs.writer_runs import execute_writer_job

    try:
        with ensure_dagster_instance(settings) as instance:
            result = execute_writer_job(
                defs.resolve_job_def("import_listings_job"), instance, run_config={**run_config, **QUIET_RUN_CONFIG}
            )
    except KeyboardInterrupt as stop:
        from orchestration.runs.writer_runs import stopped_message

        console.print(f"[red]{stopped_message(stop)}[/red]")
        return 130
    if not result.success:
        console.print(Text(f"Import failed; see run {result.run_id} in the Dagster UI.", style="red"))
        return 1
    metadata = result.asset_materializations_for_node("listed_papers")[0].metadata
    # Both are JSON metadata the listed_papers asset writes: {file name: details}.
    files = cast("dict[str, dict]", metadata["files"].value)
    rejected = cast("dict[str, dict]", metadata["rejected"].value)
    for other, info in sorted(rejected.items()):
        if other != name:
            console.print(
                Text(
                    f"Set aside {info['path']} (not a listing page): {info['reason']}; moved to {info['moved_to']}",
                    style="yellow",
                )
            )
    outcome = files.get(name)
    if outcome is None:
        reason = rejected.get(name, {}).get("reason", "the import run did not find it")
        console.print(Text.assemble(("Not imported: ", "red"), f"listings/{name}: {reason}"))
        return 1
    note = " (this content was already imported; nothing changed)" if outcome["already_imported"] else ""
    console.print(Text(f"listings/{name}: {outcome['rows']} entries, {outcome['linked']} linked to papers{note}"))
    return 0
