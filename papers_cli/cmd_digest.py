"""`papers digest [--week DATE] [--out DIR]`: one week's digest (Markdown, HTML) and the Atom feed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from papers_settings import Settings

from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.text import Text

from papers_cli.dates import iso_date


def register(subparsers, settings: Settings) -> None:
    parser = subparsers.add_parser(
        "digest",
        help="write a week's digest (Markdown, HTML) and refresh the Atom feed",
        description="Reads the published warehouse and writes DIR/<week_start>.md, DIR/<week_start>.html "
        "and DIR/feed.xml (the papers of the warehouse's two newest weeks). A week without papers gets a "
        "digest that says so. Exit status 1, with one line saying why, when the date is before the first "
        "listing, there is no published warehouse, or DIR cannot be written.",
    )
    parser.add_argument(
        "--week",
        type=iso_date,
        default=None,
        help="any date of the ISO week (Monday to Sunday) to digest; default the last complete week",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=settings.warehouse.digests_dir,
        help=f"folder for the files (default {settings.warehouse.digests_dir})",
    )
    parser.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    from digest.files import OutputError
    from digest.weeks import WeekError, checked_week, last_complete_week
    from digest.write import write_digest
    from warehouse.backend import open_reader
    from warehouse.migrate import MigrationError

    # soft_wrap: each message stays one line, however narrow the terminal or pipe.
    err = Console(stderr=True, soft_wrap=True)
    now = datetime.now(UTC)
    try:
        week = checked_week(args.week) if args.week else last_complete_week(now.date())
        con = open_reader(settings.warehouse)
    except MigrationError:
        raise  # papers prints it in one line (papers_cli/main.py)
    except (WeekError, FileNotFoundError, RuntimeError) as error:
        err.print(Text(f"papers digest: {error}", style="red"))
        return 1
    try:
        written = write_digest(con, week, args.out, now)
    except OutputError as error:
        err.print(Text(f"papers digest: {error}", style="red"))
        return 1
    finally:
        con.close()
    out = Console(soft_wrap=True)
    what = f"{written.papers} papers" if written.papers else "no papers (the digest says so)"
    out.print(Text(f"Week {week.label} ({week.start} to {week.end}): {what}"))
    out.print(Text(f"  {written.markdown}\n  {written.html}\n  {written.feed} ({written.feed_entries} entries)"))
    return 0
