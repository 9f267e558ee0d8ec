"""The public transform: one day's raw API pages -> every warehouse table for that day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

import polars as pl

from transforms import table_schemas
from transforms.accounts import organizations_frame, submitters_frame
from transforms.authors import author_slots, authors_frame, paper_authors_frame
from transforms.day_records import DayRecords, screen_records
from transforms.papers import papers_frame
from transforms.raw_schema import ITEM_SCHEMA, VOTE_ITEM_SCHEMA
from transforms.record_rules import listing_checks, vote_checks
from transforms.votes import votes_frame


@dataclass(frozen=True)
class ListingTables:
    """Every table for one listing day, ready for INSERT ... BY NAME.

    raw_records = papers.height + quarantined.height: records seen across the
    pages, minus later copies of a paper id already read that day
    (duplicate_records counts those).
    """

    papers: pl.DataFrame
    authors: pl.DataFrame
    paper_authors: pl.DataFrame
    votes: pl.DataFrame
    submitters: pl.DataFrame
    organizations: pl.DataFrame
    quarantined: pl.DataFrame
    raw_records: int
    duplicate_records: int = 0


def build_listing_tables(pages: list[bytes], listing_date: date, fetched_at: datetime) -> ListingTables:
    """Transform the verbatim JSON bodies of GET /api/daily_papers for `listing_date` into tables.

    Records that cannot be read go to `quarantined` with a reason; the rest of
    the day loads. Raises ListingPageError when a whole page is not a JSON array.
    """
    _check_listing_date(listing_date)
    fetched = naive_utc(fetched_at)
    day = screen_records(pages, ITEM_SCHEMA, listing_checks())
    slots = author_slots(day.items)
    papers = papers_frame(day.items, listing_date, fetched)
    quarantined = _quarantined_frame(day, listing_date, fetched)
    return ListingTables(
        papers=papers,
        authors=authors_frame(slots),
        paper_authors=paper_authors_frame(slots, listing_date),
        votes=votes_frame(day.items, listing_date, fetched),
        submitters=submitters_frame(day.items),
        organizations=organizations_frame(day.items),
        quarantined=quarantined,
        raw_records=papers.height + quarantined.height,
        duplicate_records=day.duplicates,
    )


def vote_observations(pages: list[bytes], listing_date: date, fetched_at: datetime) -> pl.DataFrame:
    """Just the `votes` rows of one fetch (for older fetches of a day): reads ids and counts only.

    A record needs only a paper id and readable counts here, so a record
    quarantined by build_listing_tables for another field still gives its vote.
    """
    _check_listing_date(listing_date)
    day = screen_records(pages, VOTE_ITEM_SCHEMA, vote_checks())
    return votes_frame(day.items, listing_date, naive_utc(fetched_at))


def naive_utc(moment: datetime) -> datetime:
    """A timezone-aware datetime as naive UTC (DuckDB TIMESTAMP); naive input is refused, not guessed."""
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"fetched_at must be a timezone-aware datetime, got {moment!r}")
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _check_listing_date(listing_date: date) -> None:
    if isinstance(listing_date, datetime) or not isinstance(listing_date, date):
        raise ValueError(f"listing_date must be a datetime.date, got {listing_date!r}")


def _quarantined_frame(day: DayRecords, listing_date: date, fetched_at: datetime) -> pl.DataFrame:
    return day.rejects.with_columns(
        pl.lit(listing_date, dtype=pl.Date).alias("listing_date"),
        pl.lit(fetched_at, dtype=table_schemas.TIMESTAMP).alias("fetched_at"),
    ).pipe(table_schemas.conform, table_schemas.QUARANTINED)
