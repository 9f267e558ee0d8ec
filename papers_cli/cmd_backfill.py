"""`papers backfill --start DATE --end DATE`: load a range of listing days through Dagster."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from papers_settings import Settings

from collections.abc import Callable
from datetime import UTC, date, datetime

from rich.console import Console

from papers_cli.dates import iso_date


class LanderMessages:
    """Where the lander's messages (its client's retry warnings) go: the console until the
    progress shows them."""

    def __init__(self, console: Console):
        self.show: Callable[[str], None] = lambda message: console.print(f"[yellow]{message}[/yellow]")

    def __call__(self, message: str) -> None:
        self.show(message)


def register(subparsers, settings: Settings) -> None:
    parser = subparsers.add_parser(
        "backfill",
        help="fetch, load and publish a range of listing days",
        description="Materialize raw_daily_papers -> warehouse tables -> published_warehouse for "
        "every listing date from START to END (inclusive), in batched Dagster runs that show in "
        "the Dagster UI. Exits non-zero if any day failed, naming each one.",
    )
    parser.add_argument("--start", type=iso_date, required=True, help="first listing date")
    parser.add_argument("--end", type=iso_date, required=True, help="last listing date")
    parser.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    from papers_cli.collector import batch_collection

    with batch_collection() as freeze_long_lived:
        return _run(args, settings, freeze_long_lived)


def _run(args, settings: Settings, freeze_long_lived: Callable[[], None]) -> int:
    # soft_wrap: a long reason stays on its line, so piped output can be parsed line by line.
    console = Console(stderr=True, soft_wrap=True)
    if args.end < args.start:
        console.print(f"[red]--end {args.end} is before --start {args.start}[/red]")
        return 2
    from hf_api.defaults import FIRST_LISTING_DATE

    first, today = date.fromisoformat(FIRST_LISTING_DATE), datetime.now(UTC).date()
    if args.start < first or args.end > today:
        console.print(
            f"[red]listing days run from {first} (the first day the API serves) to today "
            f"({today} UTC); got {args.start} .. {args.end}[/red]"
        )
        return 2
    from orchestration.partitions import MAX_PARTITIONS_PER_RUN
    from orchestration.runs.backfill import backfill
    from orchestration.runs.instance import ensure_dagster_instance
    from papers_cli.progress import BackfillProgress
    from pipeline.date_ranges import contiguous_ranges, days_between
    from pipeline.lander import landing, new_backfill_id

    days = days_between(args.start, args.end)
    ranges = contiguous_ranges(days, MAX_PARTITIONS_PER_RUN)
    console.print(f"Backfilling {len(days)} day(s): {len(ranges)} run(s) planned, fewer when the days are small...")
    messages = LanderMessages(console)
    try:
        with (
            # Started before the Dagster instance is made (~0.3 s on a new home): by the first run,
            # the lander has landed the range's first week, whose size plans the runs
            # (orchestration/runs/backfill.py).
            landing(settings.warehouse.raw_dir, days, new_backfill_id(), messages) as lander,
            ensure_dagster_instance(settings) as instance,
            BackfillProgress.for_console(
                console, days, settings.warehouse.raw_dir, settings.warehouse.ducklake or settings.warehouse.published_path
            ) as progress,
        ):
            messages.show = progress.warning
            freeze_long_lived()  # the imports', the definitions' and the instance's objects
            try:
                report = backfill(
                    ranges,
                    instance,
                    on_range_done=progress.range_done,
                    on_range_start=progress.range_started,
                    on_warning=progress.warning,
                    lander=lander,
                )
            finally:
                if lander is not None:  # backfill() has stopped it, unless it failed first: not after the progress
                    lander.stop()
    except KeyboardInterrupt as stop:
        from orchestration.runs.writer_runs import stopped_message

        console.print(f"[red]{stopped_message(stop)}[/red]")
        return 130
    console.print(f"Loaded {len(report.loaded)} day(s); backfill id {report.backfill_id}.")
    if report.search_failure:
        console.print(
            f"[red]The loaded days are published, but the search tables were not rebuilt: "
            f"{report.search_failure}[/red]\nRebuild them from the Dagster UI: asset search_index, "
            "Materialize."
        )
    if report.failed:
        console.print(f"[red]{len(report.failed)} day(s) failed:[/red]")
        for day, reason in sorted(report.failed.items()):
            console.print(f"  {day}: {reason}")
        first, last = min(report.failed), max(report.failed)
        console.print(f"Rerun them with: papers backfill --start {first} --end {last}")
    return 0 if report.ok else 1
