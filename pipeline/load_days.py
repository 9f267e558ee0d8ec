"""The load step: landed raw fetches transformed with Polars and loaded into the warehouse.

Called by the `daily_papers` asset and by the benchmark; no Dagster here (`log` is any logger
with `warning`)."""

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from typing import Generic, TypeVar

import polars as pl

from landing.raw_store import RawFetch, list_fetches
from transforms import ListingFetch, build_listing_tables_for_days, vote_observations_for_fetches
from warehouse.db import WRITER_MEMORY_LIMIT, within_memory_limits
from warehouse.ducklake import retry_on_conflict
from warehouse.listings import relink_listed_papers
from warehouse.load import LoadOutcome, PartitionBatch, replace_partitions_in_chunks

T = TypeVar("T")
R = TypeVar("R")


# Raw JSON of the days' newest fetches transformed per Polars pass inside a run's load. Polars'
# memory grows with a chunk (~6x its JSON at the peak); each chunk costs a few fixed statements. A
# 10x year through Dagster (4 runs): load peaks 620 -> 455-490 MB from 32 MB to 8 MB chunks; the 1x
# year's backfill time did not change (24.1 vs 23.4 s), a 1x quarter (~25 MB) being 4 chunks
# instead of one. A day's earlier fetches do not count: only their votes are read, in passes of
# their own (`_earlier_votes`).
LOAD_CHUNK_BYTES = 8_000_000


def batches_for_days(raw_dir, days: list[date]) -> list[PartitionBatch]:
    """Transform the raw fetches of many days in one Polars pass (a per-day call costs ~10x more).

    Tables come from each day's newest fetch; vote observations from every fetch of the day.
    """
    return batches_for_fetches({day: list_fetches(raw_dir, day) for day in days})


def batches_for_fetches(fetches: dict[date, list[RawFetch]], max_bytes: int = LOAD_CHUNK_BYTES) -> list[PartitionBatch]:
    """batches_for_days for fetches already listed (day -> its landed fetches, oldest first); the
    days' earlier fetches are read for their votes `max_bytes` of JSON at a time."""
    fetches = {day: found for day, found in fetches.items() if found}
    latest = [ListingFetch(day, found[-1].fetched_at, found[-1].pages()) for day, found in fetches.items()]
    tables = build_listing_tables_for_days(latest)
    older_votes = _earlier_votes([fetch for found in fetches.values() for fetch in found[:-1]], max_bytes)
    return [_batch(day, found, tables[day], older_votes) for day, found in fetches.items()]


def _earlier_votes(earlier: list[RawFetch], max_bytes: int) -> pl.DataFrame | None:
    """The vote observations of `earlier` fetches, read in passes of at most `max_bytes` of JSON (a
    day re-fetched by every daily run has up to 15 fetches; only one pass's pages are in memory)."""
    if not earlier:
        return None
    passes = _cut_by_size(earlier, max_bytes, size=lambda fetch: fetch.size_bytes)
    return pl.concat(
        vote_observations_for_fetches([ListingFetch(f.listing_date, f.fetched_at, f.pages()) for f in group]) for group in passes
    )


def _cut_by_size(items: Iterable[T], max_bytes: int, size: Callable[[T], int]) -> Iterator[list[T]]:
    """`items` in order, cut into lists whose `size`s sum to at most `max_bytes` (a single larger
    item is a list of its own); each list is handed on as soon as the next item would not fit."""
    group: list[T] = []
    total = 0
    for item in items:
        item_bytes = size(item)
        if group and total + item_bytes > max_bytes:
            yield group
            group, total = [], 0
        group.append(item)
        total += item_bytes
    if group:
        yield group


def _batch(day: date, fetches: list[RawFetch], tables, older_votes: pl.DataFrame | None) -> PartitionBatch:
    votes = tables.votes
    if older_votes is not None:
        votes = pl.concat([older_votes.filter(pl.col("listing_date") == day), votes]).unique(
            subset=["paper_id", "observed_at"], keep="last", maintain_order=True
        )
    return PartitionBatch(
        listing_date=day,
        fetched_at=fetches[-1].fetched_at,
        fetch_count=len(fetches),
        raw_records=tables.raw_records,
        papers=tables.papers,
        paper_authors=tables.paper_authors,
        votes=votes,
        quarantined_records=tables.quarantined,
        authors=tables.authors,
        submitters=tables.submitters,
        organizations=tables.organizations,
    )


def day_chunks(fetches: dict[date, list[RawFetch]], max_bytes: int = LOAD_CHUNK_BYTES) -> list[dict]:
    """The days of `fetches` in order, cut into chunks whose newest fetches hold at most `max_bytes`
    (a single larger day is a chunk of its own)."""
    return list(stream_chunks(fetches.items(), max_bytes))


def stream_chunks(fetches: Iterable[tuple[date, list[RawFetch]]], max_bytes: int = LOAD_CHUNK_BYTES) -> Iterator[dict]:
    """day_chunks for days that arrive one by one (day, its fetches): each chunk is handed on as
    soon as the next day would not fit in it, or the days end. Only a day's newest fetch counts:
    its tables come from it alone (earlier fetches give votes, read apart: `batches_for_fetches`).
    Counting every fetch made each day of the daily run's 15 re-fetched days a chunk of its own."""
    for chunk in _cut_by_size(fetches, max_bytes, size=lambda day: day[1][-1].size_bytes if day[1] else 0):
        yield dict(chunk)


def transformed_ahead(items: Iterable[T], transform: Callable[[T], R], pool: ThreadPoolExecutor) -> Iterator[R]:
    """`transform` of each item, in order, each computed on `pool` while the caller works on the
    one before: a chunk's Polars transform runs beside the DuckDB statements loading the previous
    chunk (both release the GIL), instead of after them. An item's error is raised when the caller
    reaches it. At most one transform runs ahead, so one extra chunk's frames are held (the 10x
    year's peak did not move beyond its spread: docs/benchmark.md, transform-ahead). When the caller stops early (an
    error, Ctrl-C) the transform in flight runs to its end as the pool closes: one chunk's work."""
    pending: Future[R] | None = None
    for item in items:
        submitted = pool.submit(transform, item)
        if pending is not None:
            yield pending.result()
        pending = submitted
    if pending is not None:
        yield pending.result()


class Replayable(Generic[T]):
    """The items of an iterator, taken from it once; every pass over this yields them again from
    the first, then takes the next ones (a load that runs again after running out of memory, or
    after losing a DuckLake commit, reads the same chunks)."""

    def __init__(self, items: Iterable[T]) -> None:
        self._source = iter(items)
        self._seen: list[T] = []

    def __iter__(self) -> Iterator[T]:
        yield from self._seen
        for item in self._source:
            self._seen.append(item)
            yield item


# DuckDB's memory for a load; a load that needs more is rolled back and run again with the next.
# Four 10x quarter runs peaked at ~700 MB without a limit, ~510 MB under 128 MB (load alone; their
# times, 27-31 s either way, were within the machine's noise).
LOAD_MEMORY_LIMITS = (WRITER_MEMORY_LIMIT, "2GB")


def load_days(con, raw_dir, days: list[date], log) -> list[LoadOutcome]:
    """Replace the days in the warehouse from their landed raw fetches, in one transaction
    (transformed a chunk of days at a time, so a long range is never in memory at once)."""
    return load_fetches(con, {day: list_fetches(raw_dir, day) for day in days}, log)


def load_fetches(con, fetches: dict[date, list[RawFetch]], log) -> list[LoadOutcome]:
    """load_days for fetches already read (day -> its readable fetches, oldest first)."""
    return load_chunks(con, day_chunks(fetches), log)


def load_chunks(con, chunks: Iterable[dict[date, list[RawFetch]]], log) -> list[LoadOutcome]:
    """load_fetches for days already cut into chunks (`day_chunks`, or `Replayable(stream_chunks(...))`
    for days still landing: a chunk is transformed and loaded as soon as it is complete). `chunks`
    is read again from its start if the load runs again."""

    def load() -> list[LoadOutcome]:
        with ThreadPoolExecutor(1, thread_name_prefix="transform") as pool:
            return replace_partitions_in_chunks(con, transformed_ahead(chunks, batches_for_fetches, pool))

    # On DuckLake a writer whose commit lost to another's runs its load again (warehouse/ducklake.py);
    # on the file there is one writer and no conflict.
    outcomes = within_memory_limits(con, LOAD_MEMORY_LIMITS, lambda: retry_on_conflict(load, on_retry=log.warning))
    for outcome in outcomes:
        if not outcome.replaced:
            log.warning(
                f"{outcome.listing_date}: the API answered with no papers but the warehouse has "
                f"{outcome.previous_papers}; kept the existing rows"
            )
    # Saved listing pages imported earlier link to papers that arrived with this load.
    retry_on_conflict(lambda: relink_listed_papers(con))
    return outcomes
