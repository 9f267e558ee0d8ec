"""`papers import-listing FILE [--as-of DATE]`: import a saved huggingface.co/papers page."""

from __future__ import annotations

import shutil
from datetime import date

from rich.console import Console

from papers_cli.dates import iso_date
from warehouse import settings


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "import-listing", help="import a listing page copied from huggingface.co/papers",
        description="Checks the page, copies it into $PAPERS_HOME/listings/ and runs the Dagster "
        "asset listed_papers, which imports it once per content and publishes the warehouse.",
    )
    parser.add_argument("file", help="the saved page (plain text)")
    parser.add_argument("--as-of", type=iso_date, default=None,
                        help="the date the page was saved (resolves dates without a year; default today)")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from pathlib import Path

    from transforms.listing import ListingFormatError, parse_listing

    console = Console(stderr=True)
    source = Path(args.file)
    if not source.is_file():
        console.print(f"[red]{source}: no such file[/red]")
        return 2
    try:
        entries = parse_listing(source.read_text(encoding="utf-8-sig"),
                                as_of=args.as_of or date.today(), source_file=source.name)
    except (ListingFormatError, UnicodeDecodeError) as error:
        console.print(f"[red]Not imported:[/red] {error}")
        return 2
    target_dir = settings.listings_dir()
    target_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target_dir / source.name)
    console.print(f"{source.name}: {entries.height} entries read; importing...")

    from orchestration.backfill import QUIET_RUN_CONFIG
    from orchestration.definitions import defs
    from orchestration.instance import ensure_dagster_instance

    run_config = {"ops": {"listed_papers": {"config": {"as_of": args.as_of.isoformat() if args.as_of else None}}}}
    from orchestration.writer_runs import execute_writer_job

    try:
        with ensure_dagster_instance() as instance:
            result = execute_writer_job(defs.resolve_job_def("import_listings_job"), instance,
                                        run_config={**run_config, **QUIET_RUN_CONFIG})
    except KeyboardInterrupt as stop:
        from orchestration.writer_runs import stopped_message

        console.print(f"[red]{stopped_message(stop)}[/red]")
        return 130
    if not result.success:
        console.print(f"[red]Import failed; see run {result.run_id} in the Dagster UI.[/red]")
        return 1
    files = result.asset_materializations_for_node("listed_papers")[0].metadata["files"].value
    outcome = files.get(source.name, {})
    note = " (this content was already imported; nothing changed)" if outcome.get("already_imported") else ""
    console.print(f"{source.name}: {outcome.get('rows')} entries, {outcome.get('linked')} linked to papers{note}")
    return 0
