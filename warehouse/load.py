"""Loading one listing day into the working warehouse, in one transaction.

A partition (listing date) is replaced whole: its rows are deleted and the new ones inserted
between BEGIN and COMMIT, so a rerun never duplicates and a crash never leaves half a day. An
empty answer for a day that already has rows is refused rather than allowed to wipe the day.
Authors, submitters and organisations are shared across days and are upserted, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

import duckdb
import polars as pl

# Tables replaced per listing date, in the order their rows are inserted.
PARTITIONED_TABLES = ("papers", "paper_authors", "votes", "quarantined_records")
# Shared dimensions: table -> (key, columns a newer load may fill in).
UPSERTED_TABLES = {
    "authors": ("author_id", ("hf_username",)),
    "submitters": ("username", ("fullname", "avatar_url", "is_hf_staff", "follower_count")),
    "organizations": ("organization", ("fullname", "avatar_url")),
}


@dataclass(frozen=True)
class PartitionBatch:
    """Everything one listing day contributes to the warehouse (frames named like the tables)."""

    listing_date: date
    fetched_at: datetime
    fetch_count: int
    raw_records: int
    papers: pl.DataFrame
    paper_authors: pl.DataFrame
    votes: pl.DataFrame
    quarantined_records: pl.DataFrame
    authors: pl.DataFrame
    submitters: pl.DataFrame
    organizations: pl.DataFrame


@dataclass(frozen=True)
class LoadOutcome:
    """What a partition load did."""

    listing_date: date
    papers: int
    paper_authors: int
    votes: int
    quarantined: int
    replaced: bool          # False when an empty answer was refused to protect existing rows
    previous_papers: int


def existing_paper_count(con: duckdb.DuckDBPyConnection, listing_date: date) -> int:
    """How many papers the warehouse holds for a listing date."""
    return con.execute(
        "SELECT count(*) FROM papers WHERE listing_date = ?", [listing_date]
    ).fetchall()[0][0]


def replace_partition(con: duckdb.DuckDBPyConnection, batch: PartitionBatch) -> LoadOutcome:
    """Replace one listing day in a single transaction and upsert the shared dimensions."""
    previous = existing_paper_count(con, batch.listing_date)
    if batch.papers.height == 0 and previous > 0:
        return LoadOutcome(batch.listing_date, 0, 0, 0, 0, replaced=False, previous_papers=previous)

    frames = {
        **{table: getattr(batch, table) for table in PARTITIONED_TABLES},
        "authors": batch.authors.unique(subset=["author_id"], keep="first"),
        "submitters": batch.submitters.unique(subset=["username"], keep="first"),
        "organizations": batch.organizations.unique(subset=["organization"], keep="first"),
    }
    # Frames are registered outside the transaction: unregistering inside an aborted one fails
    # and would hide the error that aborted it.
    for table, frame in frames.items():
        con.register(f"incoming_{table}", frame.to_arrow())
    try:
        con.execute("BEGIN TRANSACTION")
        try:
            _delete_partition(con, batch.listing_date)
            for table in PARTITIONED_TABLES:
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM incoming_{table}")
            for table, (key, update) in UPSERTED_TABLES.items():
                _upsert(con, table, key, update)
            _record_load(con, batch)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        for table in frames:
            con.unregister(f"incoming_{table}")
    return LoadOutcome(
        listing_date=batch.listing_date,
        papers=batch.papers.height,
        paper_authors=batch.paper_authors.height,
        votes=batch.votes.height,
        quarantined=batch.quarantined_records.height,
        replaced=True,
        previous_papers=previous,
    )


def _delete_partition(con: duckdb.DuckDBPyConnection, day: date) -> None:
    # A paper listed again on another day moves to the day loaded last: delete it by id too,
    # so the primary key holds and the paper is never counted on two days.
    for table in ("paper_authors", "papers", "votes"):
        con.execute(
            f"DELETE FROM {table} WHERE listing_date = ? "
            "OR paper_id IN (SELECT paper_id FROM incoming_papers)",
            [day],
        )
    con.execute("DELETE FROM quarantined_records WHERE listing_date = ?", [day])


def _upsert(con: duckdb.DuckDBPyConnection, table: str, key: str, update: tuple[str, ...]) -> None:
    """Insert new keys; for known keys fill in columns that were unknown (never blank them)."""
    assignments = ", ".join(f"{col} = coalesce(EXCLUDED.{col}, {table}.{col})" for col in update)
    con.execute(
        f"INSERT INTO {table} BY NAME SELECT * FROM incoming_{table} "
        f"ON CONFLICT ({key}) DO UPDATE SET {assignments}"
    )


def _record_load(con: duckdb.DuckDBPyConnection, batch: PartitionBatch) -> None:
    con.execute(
        "INSERT OR REPLACE INTO partition_loads "
        "(listing_date, fetched_at, fetch_count, raw_records, loaded_papers, quarantined, loaded_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            batch.listing_date,
            _naive_utc(batch.fetched_at),
            batch.fetch_count,
            batch.raw_records,
            batch.papers.height,
            batch.quarantined_records.height,
            _naive_utc(datetime.now(timezone.utc)),
        ],
    )


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)
