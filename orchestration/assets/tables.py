"""The load step: raw listings transformed with Polars and loaded one day at a time."""


from datetime import date

import dagster as dg
import polars as pl

from orchestration.raw_store import RawFetch, list_fetches
from transforms import ListingFetch, build_listing_tables_for_days, vote_observations_for_fetches
from warehouse.db import WRITER_MEMORY_LIMIT, within_memory_limits
from warehouse.listings import relink_listed_papers
from warehouse.load import LoadOutcome, PartitionBatch, replace_partitions_in_chunks

TABLE_DESCRIPTIONS = {
    "papers": "One row per paper (grain: paper_id), on the listing date it was loaded from; "
    "upvotes and num_comments are the latest observation.",
    "authors": "One row per person (grain: author_id = hash of the claimed HF username, else of "
    "the normalised name); shared across days and upserted.",
    "paper_authors": "One row per author slot of a paper (grain: paper_id, position), in the "
    "order the paper lists them.",
    "votes": "One row per paper per fetch (grain: paper_id, observed_at): the upvote history "
    "that re-fetching recent days builds.",
    "quarantined_records": "Raw records that could not be read, with the reason and the record "
    "verbatim (grain: listing_date, fetched_at, record_index).",
}
TABLE_KEYS = [dg.AssetKey(name) for name in TABLE_DESCRIPTIONS]


def batches_for_days(raw_dir, days: list[date]) -> list[PartitionBatch]:
    """Transform the raw fetches of many days in one Polars pass (a per-day call costs ~10x more).

    Tables come from each day's newest fetch; vote observations from every fetch of the day.
    """
    return batches_for_fetches({day: list_fetches(raw_dir, day) for day in days})


def batches_for_fetches(fetches: dict[date, list[RawFetch]]) -> list[PartitionBatch]:
    """batches_for_days for fetches already listed (day -> its landed fetches, oldest first)."""
    fetches = {day: found for day, found in fetches.items() if found}
    latest = [ListingFetch(day, found[-1].fetched_at, found[-1].pages()) for day, found in fetches.items()]
    tables = build_listing_tables_for_days(latest)
    older = [ListingFetch(day, f.fetched_at, f.pages()) for day, found in fetches.items() for f in found[:-1]]
    older_votes = vote_observations_for_fetches(older) if older else None
    return [_batch(day, found, tables[day], older_votes) for day, found in fetches.items()]


def _batch(day: date, fetches: list[RawFetch], tables, older_votes: pl.DataFrame | None) -> PartitionBatch:
    votes = tables.votes
    if older_votes is not None:
        votes = pl.concat([older_votes.filter(pl.col("listing_date") == day), votes]).unique(
            subset=["paper_id", "observed_at"], keep="last", maintain_order=True)
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


def _preview(con, days: list[date]) -> dg.MetadataValue:
    frame = con.sql(
        "SELECT listing_date, paper_id, upvotes, left(title, 70) AS title FROM papers "
        "WHERE listing_date = ANY($days) ORDER BY listing_date DESC, upvotes DESC LIMIT 10",
        params={"days": days},
    ).pl()
    return dg.MetadataValue.md(markdown_table(frame))


def markdown_table(frame: pl.DataFrame) -> str:
    """A small frame as a Markdown table, for asset metadata previews."""
    if frame.height == 0:
        return "(no rows)"
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "---|" * frame.width
    rows = ["| " + " | ".join(str(v).replace("|", "/") for v in row) + " |" for row in frame.rows()]
    return "\n".join([header, rule, *rows])


# Raw JSON transformed per Polars pass inside a run's load. Polars' memory grows with a chunk
# (~6x its JSON at the peak); each chunk costs a few fixed statements. A 10x year through Dagster
# (4 runs): load peaks 620 -> 455-490 MB from 32 MB to 8 MB chunks; the 1x year's backfill time
# did not change (24.1 vs 23.4 s), a 1x quarter (~25 MB) being 4 chunks instead of one.
LOAD_CHUNK_BYTES = 8_000_000


def day_chunks(fetches: dict[date, list[RawFetch]], max_bytes: int = LOAD_CHUNK_BYTES) -> list[dict]:
    """The days of `fetches` in order, cut into chunks whose fetches hold at most `max_bytes`
    (a single larger day is a chunk of its own)."""
    chunks: list[dict] = []
    size = 0
    for day, found in fetches.items():
        day_bytes = sum(fetch.size_bytes for fetch in found)
        if not chunks or size + day_bytes > max_bytes:
            chunks.append({})
            size = 0
        chunks[-1][day] = found
        size += day_bytes
    return chunks


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

    def load() -> list[LoadOutcome]:
        chunks = (batches_for_fetches(chunk) for chunk in day_chunks(fetches))
        return replace_partitions_in_chunks(con, chunks)

    outcomes = within_memory_limits(con, LOAD_MEMORY_LIMITS, load)
    for outcome in outcomes:
        if not outcome.replaced:
            log.warning(
                f"{outcome.listing_date}: the API answered with no papers but the warehouse has "
                f"{outcome.previous_papers}; kept the existing rows"
            )
    # Saved listing pages imported earlier link to papers that arrived with this load.
    relink_listed_papers(con)
    return outcomes


def table_metadata(con, outcomes: list[LoadOutcome]) -> dict[str, dict]:
    """Row counts per table, plus per-day counts and a preview on `papers`."""
    counts = _table_counts(con)
    metadata: dict[str, dict] = {name: {"table_rows": n, "dagster/row_count": n} for name, n in counts.items()}
    metadata["papers"] |= {
        "papers_loaded_by_day": dg.MetadataValue.json(
            {o.listing_date.isoformat(): o.papers for o in outcomes}),
        "kept_existing_rows_for": dg.MetadataValue.json(
            [o.listing_date.isoformat() for o in outcomes if not o.replaced]),
        "preview": _preview(con, [o.listing_date for o in outcomes]),
    }
    return metadata


def _table_counts(con) -> dict[str, int]:
    names = [key.path[-1] for key in TABLE_KEYS]
    return {name: con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0] for name in names}
