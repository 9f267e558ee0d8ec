"""The public transform: raw API pages of listing days -> every warehouse table for each day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import polars as pl

from transforms import table_schemas
from transforms.accounts import organizations_frame, submitters_frame
from transforms.author_rows import author_slots, authors_frame, paper_authors_frame
from transforms.fetch_batches import ListingFetch, fetch_columns, read_fetches, split_by_fetch
from transforms.flat_items import flatten_listing, flatten_votes
from transforms.paper_rows import papers_frame
from transforms.raw_schema import ITEM_SCHEMA, VOTE_ITEM_SCHEMA
from transforms.record_rules import IDENTITY_CHECKS, LISTING_CHECKS, failing_records
from transforms.record_selection import loadable_records, quarantine_rows, slots_of
from transforms.votes import votes_frame

# ListingTables field -> table schema, in the order tables are built and split.
_TABLES = {
    "papers": table_schemas.PAPERS,
    "authors": table_schemas.AUTHORS,
    "paper_authors": table_schemas.PAPER_AUTHORS,
    "votes": table_schemas.VOTES,
    "submitters": table_schemas.SUBMITTERS,
    "organizations": table_schemas.ORGANIZATIONS,
    "quarantined": table_schemas.QUARANTINED,
}


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
    return build_listing_tables_for_days([ListingFetch(listing_date, fetched_at, pages)])[listing_date]


def build_listing_tables_for_days(fetches: Sequence[ListingFetch]) -> dict[date, ListingTables]:
    """build_listing_tables for many days in one pass (much faster per day for backfills).

    Each day's tables equal what build_listing_tables gives for that day alone.
    One fetch per listing date: older fetches of a day go to vote_observations.
    """
    _refuse_repeated_days(fetches)
    if not fetches:
        return {}
    read = read_fetches(fetches, ITEM_SCHEMA)
    fetch_info = fetch_columns(fetches)
    flat = flatten_listing(read.items).join(fetch_info, on="fetch", how="left")
    all_slots = author_slots(flat)
    failures = failing_records(flat, LISTING_CHECKS, all_slots)
    kept, duplicates = loadable_records(flat, failures)
    slots = slots_of(all_slots, kept, flat)
    quarantined = quarantine_rows([f.pages for f in fetches], read.page_sizes, read.rejects, failures).join(
        fetch_info, on="fetch", how="left"
    )
    built = {
        "papers": papers_frame(kept),
        "authors": authors_frame(slots),
        "paper_authors": paper_authors_frame(slots),
        "votes": votes_frame(kept),
        "submitters": submitters_frame(kept),
        "organizations": organizations_frame(kept),
        "quarantined": quarantined,
    }
    split = {name: split_by_fetch(built[name], len(fetches), schema) for name, schema in _TABLES.items()}
    return {
        fetch.listing_date: _day_tables({name: frames[position] for name, frames in split.items()}, duplicates.get(position, 0))
        for position, fetch in enumerate(fetches)
    }


def vote_observations(pages: list[bytes], listing_date: date, fetched_at: datetime) -> pl.DataFrame:
    """Just the `votes` rows of one fetch (for older fetches of a day): reads ids and counts only.

    A record needs only a paper id and readable counts here, so a record that
    build_listing_tables quarantines for another field still gives its vote.
    """
    return vote_observations_for_fetches([ListingFetch(listing_date, fetched_at, pages)])


def vote_observations_for_fetches(fetches: Sequence[ListingFetch]) -> pl.DataFrame:
    """`votes` rows of many fetches at once (the same day may appear at several fetch times)."""
    if not fetches:
        return pl.DataFrame(schema=table_schemas.VOTES)
    read = read_fetches(fetches, VOTE_ITEM_SCHEMA)
    flat = flatten_votes(read.items).join(fetch_columns(fetches), on="fetch", how="left")
    kept, _ = loadable_records(flat, failing_records(flat, IDENTITY_CHECKS))
    return table_schemas.conform(votes_frame(kept), table_schemas.VOTES)


def _day_tables(frames: dict[str, pl.DataFrame], duplicates: int) -> ListingTables:
    return ListingTables(
        **frames,
        raw_records=frames["papers"].height + frames["quarantined"].height,
        duplicate_records=duplicates,
    )


def _refuse_repeated_days(fetches: Sequence[ListingFetch]) -> None:
    days = [fetch.listing_date for fetch in fetches]
    repeated = sorted({day for day in days if days.count(day) > 1})
    if repeated:
        raise ValueError(f"one fetch per listing date, got several for {repeated}: pass older fetches to vote_observations")
