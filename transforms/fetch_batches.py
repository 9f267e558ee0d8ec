"""Batches of fetches: read several fetches' pages into one frame, and split built tables back per fetch.

Polars' cost per operation dominates a single day (a few dozen records), so a
backfill transforms many days in one pass; one day is a batch of one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import pairwise

import polars as pl

from transforms import table_schemas
from transforms.page_reading import REJECT_SCHEMA, read_pages, suspicious_pages


@dataclass(frozen=True)
class ListingFetch:
    """One fetch of one listing day: the verbatim JSON bodies of its pages and when they were fetched (tz-aware)."""

    listing_date: date
    fetched_at: datetime
    pages: list[bytes]


@dataclass(frozen=True)
class FetchesRead:
    """Raw items of all fetches stacked (column `fetch` = position in the batch), type rejects, page sizes."""

    items: pl.DataFrame
    rejects: pl.DataFrame
    page_sizes: list[tuple[int, ...]]


def read_fetches(fetches: Sequence[ListingFetch], schema: pl.Schema) -> FetchesRead:
    """Read every fetch's pages with `schema`; raises ListingPageError naming the page that is not a JSON array."""
    flags = iter(suspicious_pages([page for fetch in fetches for page in fetch.pages], schema))
    reads = [
        read_pages(fetch.pages, schema, position, [next(flags) for _ in fetch.pages]) for position, fetch in enumerate(fetches)
    ]
    # One chunk: every later step on a frame of hundreds of chunks is many times slower.
    items = pl.concat([read.items for read in reads], rechunk=True)
    fetch_of_row = [position for position, read in enumerate(reads) for _ in range(read.items.height)]
    return FetchesRead(
        items=items.insert_column(0, pl.Series("fetch", fetch_of_row, dtype=pl.Int32)),
        rejects=pl.DataFrame([row for read in reads for row in read.rejects], schema=REJECT_SCHEMA, orient="row"),
        page_sizes=[read.page_sizes for read in reads],
    )


def fetch_columns(fetches: Sequence[ListingFetch]) -> pl.DataFrame:
    """fetch, listing_date, fetched_at (naive UTC) for each fetch of the batch, to join onto its rows."""
    for fetch in fetches:
        check_listing_date(fetch.listing_date)
    return pl.DataFrame(
        {
            "fetch": range(len(fetches)),
            "listing_date": [fetch.listing_date for fetch in fetches],
            "fetched_at": [naive_utc(fetch.fetched_at) for fetch in fetches],
        },
        schema={"fetch": pl.Int32, "listing_date": pl.Date, "fetched_at": table_schemas.TIMESTAMP},
    )


def split_by_fetch(frame: pl.DataFrame, fetch_count: int, schema: pl.Schema) -> list[pl.DataFrame]:
    """One frame per fetch (in batch order) with exactly `schema`'s columns; fetches without rows get an empty frame.

    `frame` must be sorted by fetch (builders keep record order), so each fetch is one zero-copy slice.
    """
    table = table_schemas.conform(frame.drop("fetch"), schema)
    if fetch_count == 1:
        return [table]
    bounds = frame.get_column("fetch").search_sorted(pl.Series(range(fetch_count + 1), dtype=pl.Int32)).to_list()
    return [table.slice(start, end - start) for start, end in pairwise(bounds)]


def naive_utc(moment: datetime) -> datetime:
    """A timezone-aware datetime as naive UTC (DuckDB TIMESTAMP); naive input is refused, not guessed."""
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        raise ValueError(f"fetched_at must be a timezone-aware datetime, got {moment!r}")
    return moment.astimezone(UTC).replace(tzinfo=None)


def check_listing_date(listing_date: date) -> None:
    """Refuse anything but a plain datetime.date (a datetime would silently carry a time)."""
    if isinstance(listing_date, datetime) or not isinstance(listing_date, date):
        raise ValueError(f"listing_date must be a datetime.date, got {listing_date!r}")
