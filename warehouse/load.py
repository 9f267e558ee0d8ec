"""Loading listing days into the working warehouse, in one transaction.

Each listing date (partition) is replaced whole: its rows are deleted and the new ones inserted
between BEGIN and COMMIT, so a rerun never duplicates and a crash never leaves half a day. The
days of one run are replaced together in that one transaction (a commit and each upsert cost
tens of milliseconds; per day they dominated a year's backfill), so a crash rolls the whole range
back, never part of a day. An empty answer for a day that already has rows is refused rather
than allowed to wipe the day. Authors, submitters and organisations are shared across days and
are upserted, never deleted.

On the file, a paper that is listed again on the same day keeps its row and has its columns
updated in place (unless its `ai_keywords` list changed: DuckDB updates a list column by deleting
and inserting the whole row). Deleting and inserting every row of a re-fetched day changed the
`papers_paper_id` index for each of them, and a checkpoint after that rewrote the index of the
whole table: 1.5-3 s per daily run at 500k papers, against ~0.1 s for the update in place.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import duckdb
import polars as pl
import pyarrow as pa

from warehouse.author_papers import fill_folded_names, insert_author_papers
from warehouse.db import execute_with_rows
from warehouse.ducklake import claim_writer_turn, is_lake, replace_rows_sql, upsert_sql
from warehouse.keywords import refresh_keyword_weeks, weeks_of

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
    replaced: bool  # False when an empty answer was refused to protect existing rows
    previous_papers: int


def replace_partition(con: duckdb.DuckDBPyConnection, batch: PartitionBatch) -> LoadOutcome:
    """Replace one listing day in a single transaction and upsert the shared dimensions."""
    return replace_partitions(con, [batch])[0]


def replace_partitions(con: duckdb.DuckDBPyConnection, batches: list[PartitionBatch]) -> list[LoadOutcome]:
    """Replace every day of `batches` in one transaction; one outcome per batch, in order.

    Loading the days together is the same as loading them one by one in order: a paper listed on
    two of the days ends up on the later one.
    """
    return replace_partitions_in_chunks(con, [batches])


def replace_partitions_in_chunks(con: duckdb.DuckDBPyConnection, chunks: Iterable[list[PartitionBatch]]) -> list[LoadOutcome]:
    """replace_partitions for batches that arrive chunk by chunk, still in one transaction.

    `chunks` may be a generator that transforms each chunk's days when asked, so a long range is
    never held in memory at once: a run's quarter at 10x today's volume would be over 1 GB of frames.
    Chunks are loaded in order, with the same result as one chunk of all their batches.
    """
    outcomes: list[LoadOutcome] = []
    weeks: set[date] = set()
    dimensions: dict[str, list[pl.DataFrame]] = {table: [] for table in UPSERTED_TABLES}
    con.execute("BEGIN TRANSACTION")
    try:
        claim_writer_turn(con)  # DuckLake: two loads upserting the same authors must not both commit
        for batches in chunks:
            outcomes += _load_chunk(con, batches, weeks, dimensions)
        _upsert_dimensions(con, dimensions)
        refresh_keyword_weeks(con, sorted(weeks))
        con.execute("COMMIT")
    except BaseException:
        _rollback(con)
        raise
    return outcomes


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back, keeping the error that made us: when a write fails (a full disk), DuckDB may
    have ended the transaction itself, and ROLLBACK then fails with "no transaction is active"."""
    with contextlib.suppress(duckdb.Error):
        con.execute("ROLLBACK")


def _load_chunk(
    con: duckdb.DuckDBPyConnection, batches: list[PartitionBatch], weeks: set[date], dimensions: dict[str, list[pl.DataFrame]]
) -> list[LoadOutcome]:
    previous = _paper_counts(con, [b.listing_date for b in batches])
    refused = {b.listing_date for b in batches if b.papers.height == 0 and previous.get(b.listing_date)}
    kept = [b for b in batches if b.listing_date not in refused]
    if kept:
        weeks.update(_load(con, kept, dimensions))
    return [
        LoadOutcome(
            listing_date=b.listing_date,
            papers=0 if b.listing_date in refused else b.papers.height,
            paper_authors=0 if b.listing_date in refused else b.paper_authors.height,
            votes=0 if b.listing_date in refused else b.votes.height,
            quarantined=0 if b.listing_date in refused else b.quarantined_records.height,
            replaced=b.listing_date not in refused,
            previous_papers=previous.get(b.listing_date, 0),
        )
        for b in batches
    ]


def _paper_counts(con: duckdb.DuckDBPyConnection, days: list[date]) -> dict[date, int]:
    rows = con.execute("SELECT listing_date, count(*) FROM papers WHERE listing_date = ANY(?) GROUP BY 1", [days]).fetchall()
    return dict(rows)


def _incoming_frames(batches: list[PartitionBatch]) -> dict[str, pl.DataFrame]:
    """The batches' rows as one frame per table, with a paper kept on the latest of its days."""

    def stacked(name: str) -> pl.DataFrame:
        return pl.concat([getattr(b, name) for b in batches], how="vertical_relaxed")

    papers = stacked("papers").unique(subset="paper_id", keep="last", maintain_order=True)
    winners = papers.select("paper_id", "listing_date")
    frames = {
        "papers": papers,
        "paper_authors": stacked("paper_authors").join(winners, on=["paper_id", "listing_date"], how="semi"),
        "votes": stacked("votes").join(winners, on=["paper_id", "listing_date"], how="semi"),
        "quarantined_records": stacked("quarantined_records"),
    }
    for table, (key, _) in UPSERTED_TABLES.items():
        # The first time a key is seen wins within the batch, as it does across loads.
        frames[table] = stacked(table).unique(subset=[key], keep="first", maintain_order=True)
    frames["partition_loads"] = _load_records(batches)
    return frames


def _load_records(batches: list[PartitionBatch]) -> pl.DataFrame:
    loaded_at = _naive_utc(datetime.now(UTC))
    return pl.DataFrame(
        {
            "listing_date": [b.listing_date for b in batches],
            "fetched_at": [_naive_utc(b.fetched_at) for b in batches],
            "fetch_count": [b.fetch_count for b in batches],
            "raw_records": [b.raw_records for b in batches],
            "loaded_papers": [b.papers.height for b in batches],
            "quarantined": [b.quarantined_records.height for b in batches],
            "loaded_at": [loaded_at] * len(batches),
        }
    )


def _load(con: duckdb.DuckDBPyConnection, batches: list[PartitionBatch], dimensions: dict[str, list[pl.DataFrame]]) -> list[date]:
    """Replace the batches' days inside the caller's transaction; returns the weeks changed. The
    shared dimensions' rows are added to `dimensions`, upserted once per transaction."""
    frames = _incoming_frames(batches)
    _fold_dimensions(dimensions, {table: frames.pop(table) for table in UPSERTED_TABLES})
    incoming = {table: frame.to_arrow() for table, frame in frames.items()}
    days = [b.listing_date for b in batches]
    lake = is_lake(con)  # DuckLake has no key constraints: MERGE and delete+insert instead
    moved_from = _days_papers_move_from(con, incoming["papers"])
    _delete_partitions(con, days, moved_from, incoming["papers"], update_papers=not lake)
    for table in PARTITIONED_TABLES:
        if table == "papers" and not lake:
            for statement in (_update_papers_sql(incoming["papers"].column_names), INSERT_NEW_PAPERS_SQL):
                execute_with_rows(con, statement, incoming["papers"], {"days": days})
        else:
            execute_with_rows(con, f"INSERT INTO {table} BY NAME SELECT * FROM incoming_rows", incoming[table])
    insert_author_papers(con, days)
    for statement in replace_rows_sql("partition_loads", "listing_date", lake):
        execute_with_rows(con, statement, incoming["partition_loads"])
    return weeks_of([*days, *moved_from])


def _upsert_dimensions(con: duckdb.DuckDBPyConnection, dimensions: dict[str, list[pl.DataFrame]]) -> None:
    """Upsert the shared dimensions' rows of every chunk at once: an upsert reads the whole table's
    keys (~0.1-0.2 s for the 438k authors at 10x), so once per chunk it cost ~1.5 s a daily run."""
    lake = is_lake(con)
    for table, (key, update) in UPSERTED_TABLES.items():
        if dimensions[table]:
            rows = _as_upserted_in_turn(dimensions[table], key, update)
            execute_with_rows(con, upsert_sql(table, key, update, lake), rows.to_arrow())
    fill_folded_names(con)  # of the authors just added


# Chunks of dimension rows a load holds before folding them into one row per key. Holding every
# chunk's rows until the end (a 10x quarter: ~45 chunks, stacked at the upsert) raised its peak;
# folding at every chunk cost ~2 s a quarter at 10x (a group_by over a growing frame each time).
DIMENSION_FRAMES_HELD = 8


def _fold_dimensions(held: dict[str, list[pl.DataFrame]], incoming: dict[str, pl.DataFrame]) -> None:
    """Add a chunk's dimension rows to `held`; every DIMENSION_FRAMES_HELD chunks they are folded
    into one frame of one row per key (what upserting them in turn would leave), so a long load
    holds its distinct keys and a few chunks, not every chunk's rows (docs/benchmark.md "Where the
    10x backfill's memory goes")."""
    for table, (key, update) in UPSERTED_TABLES.items():
        held[table].append(incoming[table])
        if len(held[table]) >= DIMENSION_FRAMES_HELD:
            held[table] = [_as_upserted_in_turn(held[table], key, update)]


def _as_upserted_in_turn(chunks: list[pl.DataFrame], key: str, update: tuple[str, ...]) -> pl.DataFrame:
    """One row per key that upserts what upserting each chunk's rows in turn would: the first
    chunk's columns, and for the `update` columns the last value a chunk gave (not null)."""
    stacked = pl.concat(chunks, how="vertical_relaxed")
    if len(chunks) == 1:
        return stacked
    return (
        stacked.group_by(key, maintain_order=True)
        .agg(
            *[pl.col(column).first() for column in stacked.columns if column != key and column not in update],
            *[pl.col(column).drop_nulls().last() for column in update],
        )
        .select(stacked.columns)
    )


# The papers already on the day they arrive on, with an unchanged keyword list: updated in place
# (module docstring). Every column but the key and the list is set from the incoming row. Written
# as joins on the loaded days' rows ($days), not as correlated EXISTS: DuckDB 1.5.5 ran those as
# a delim join over every paper, ~0.1 s a chunk at 500k papers against ~0.01 s (paper_id is the
# key, so a paper is kept exactly when its id is among these).
_KEPT_IN_PLACE = (
    "paper_id IN (SELECT p.paper_id FROM papers AS p SEMI JOIN incoming_rows AS i ON i.paper_id = p.paper_id "
    "AND i.listing_date = p.listing_date AND i.ai_keywords IS NOT DISTINCT FROM p.ai_keywords "
    "WHERE p.listing_date = ANY($days))"
)
_NOT_UPDATED = ("paper_id", "listing_date", "ai_keywords")
INSERT_NEW_PAPERS_SQL = (
    "INSERT INTO papers BY NAME SELECT i.* FROM incoming_rows AS i "
    "ANTI JOIN (SELECT paper_id, listing_date FROM papers WHERE listing_date = ANY($days)) AS p "
    "ON p.paper_id = i.paper_id AND p.listing_date = i.listing_date"
)


def _update_papers_sql(columns: list[str]) -> str:
    """UPDATE of the papers kept in place (the delete left only those on their day) from
    `incoming_rows`; `columns`: the incoming frame's, which are the table's (transforms' schema)."""
    assignments = ", ".join(f"{column} = i.{column}" for column in columns if column not in _NOT_UPDATED)
    return (
        f"UPDATE papers SET {assignments} FROM incoming_rows AS i "
        "WHERE papers.paper_id = i.paper_id AND papers.listing_date = i.listing_date AND papers.listing_date = ANY($days)"
    )


def _days_papers_move_from(con: duckdb.DuckDBPyConnection, papers: pa.Table) -> list[date]:
    """The days, already loaded, of papers that arrive again (on another day or the same)."""
    return [
        row[0]
        for row in execute_with_rows(
            con,
            "SELECT DISTINCT listing_date FROM papers WHERE paper_id IN (SELECT paper_id FROM incoming_rows)",
            papers,
        ).fetchall()
    ]


def _delete_partitions(
    con: duckdb.DuckDBPyConnection, days: list[date], moved_from: list[date], papers: pa.Table, update_papers: bool
) -> None:
    # A paper listed again on another day moves to the day loaded last: delete it by id too,
    # so the primary key holds and the paper is never counted on two days. Its rows in every
    # table carry its old listing date, so only those days and the loaded ones are read.
    # `update_papers`: the papers updated in place stay (module docstring).
    for table in ("paper_authors", "author_papers", "papers", "votes"):
        kept = f" AND NOT {_KEPT_IN_PLACE}" if table == "papers" and update_papers else ""
        execute_with_rows(
            con,
            f"DELETE FROM {table} WHERE listing_date = ANY($touched) "
            f"AND (listing_date = ANY($days) OR paper_id IN (SELECT paper_id FROM incoming_rows)){kept}",
            papers,
            {"touched": [*days, *moved_from], "days": days},
        )
    con.execute("DELETE FROM quarantined_records WHERE listing_date = ANY(?)", [days])


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
