"""Tables derived from `papers` that SQL cannot keep current by itself: the search index and
similar papers (warehouse/schema/003_derived_tables.sql). Updated once per search step, in one
transaction: only the papers that are new, gone or edited since the last update are tokenised
again (warehouse/search_postings.py); similar papers are updated or recomputed whole
(warehouse/similar.py). A full build runs when the index is empty, was built by another
FORMAT_VERSION, or when most papers changed.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date

import duckdb

from warehouse import ducklake, search_postings, similar
from warehouse.db import SCHEMA_DIR, scalar, within_memory_limits

DERIVED_TABLES_DDL = SCHEMA_DIR / "003_derived_tables.sql"
DERIVED_TABLES = (
    "search_postings",
    "search_dead_keys",
    "search_documents",
    "search_terms",
    "search_stats",
    "similar_papers",
    "similar_postings",
    "search_loads_indexed",
)
# Bump when what the derived tables store changes: the next update builds them whole.
FORMAT_VERSION = 2
# Changed papers (plus those whose dead postings are still stored), as a share of those indexed,
# past which a full build is cheaper than deltas.
FULL_BUILD_SHARE = 0.25

# Kept importable where they were (tests and callers read them here).
TITLE_WEIGHT = search_postings.TITLE_WEIGHT
SIMILAR_PER_PAPER = similar.SIMILAR_PER_PAPER
paper_tokens = search_postings.paper_tokens

# The work runs over the whole history, so DuckDB does the heavy joins and group-bys under a
# memory limit (spilling to disk past it) and Python only sees the pruned, integer-coded
# postings of the neighbour search. Each statement works on a slice (papers, or a range of
# terms) so that its sorts, windows and group-bys fit a small limit: with whole-history
# statements a 10x year needed 150 MB and its backfill peaked at ~490 MB; work that still runs
# out is retried under the next limit.
REBUILD_MEMORY_LIMITS: tuple[str, ...] = ("96MB", "600MB", "2GB")
# An update deletes rows, and duckdb 1.5.5 does not retry those safely: after a DELETE ran out of
# memory and was rolled back, deleting the same rows again on that connection fails with
# "Conflict on tuple deletion!" (measured at 10x: 96 MB ran out, the retry at 600 MB failed so;
# 600 MB alone succeeded). So an update runs once, under one limit that fits it (at 10x: 500 new
# papers, 500 removed).
UPDATE_MEMORY_LIMITS = ("600MB",)


@dataclass(frozen=True)
class DerivedUpdate:
    """What an update did: `search` is "full", "incremental", "unchanged" or "deferred" (a full
    build was due but not allowed: nothing was done); `similar` is "full", "incremental",
    "unchanged" or "deferred"; `changed_papers` the papers tokenised again or removed (every paper
    on a full build); `counts` the tables' row counts (empty when deferred)."""

    search: str
    similar: str
    changed_papers: int
    counts: dict[str, int]
    deleted_rows: bool = False  # an update removed rows of edited or gone papers


DEFERRED = DerivedUpdate("deferred", "deferred", 0, {})


def update_derived_tables(
    con: duckdb.DuckDBPyConnection, *, allow_full_build: bool = True, loaded_days: list[date] | None = None
) -> DerivedUpdate:
    """Bring search_index and similar_papers up to date with the current papers.

    Call it on the working warehouse (schema applied) before the snapshot is published. A full
    build runs under the first of REBUILD_MEMORY_LIMITS it fits in (rolled back and tried again
    with the next when it runs out), an update under UPDATE_MEMORY_LIMITS; the connection's own
    limit is restored afterwards. With `allow_full_build` false (a load run, whose own cost must
    stay in proportion to its days) a due full build is not run: DEFERRED is returned and the
    tables are left as they were. `loaded_days`: the days the caller's load just replaced (none
    for the search step); when they are the only days loaded since the index was last brought up
    to date, edited papers are looked for among them only (search_postings.find_changed). None:
    among every paper.
    """
    needs_full_build = scalar(con, "SELECT max(format_version) FROM search_stats") != FORMAT_VERSION
    if needs_full_build and not allow_full_build:
        return DEFERRED
    limits = REBUILD_MEMORY_LIMITS if needs_full_build else UPDATE_MEMORY_LIMITS
    return within_memory_limits(
        con, limits, lambda: _checkpointed(con, _in_transaction(con, lambda: _update(con, allow_full_build, loaded_days)))
    )


def rebuild_derived_tables(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Build search_index and similar_papers whole from the current papers; return their row
    counts (as update_derived_tables, but never incremental)."""
    return within_memory_limits(con, REBUILD_MEMORY_LIMITS, lambda: _in_transaction(con, lambda: _build_all(con))).counts


def _in_transaction(con: duckdb.DuckDBPyConnection, work):
    con.execute("BEGIN TRANSACTION")
    try:
        result = work()
        con.execute("COMMIT")
    except BaseException:
        # After a fatal error (a full disk) DuckDB has already ended the transaction: its
        # "no transaction is active" would hide the error that says why.
        with contextlib.suppress(duckdb.TransactionException):
            con.execute("ROLLBACK")
        raise
    return result


def _checkpointed(con: duckdb.DuckDBPyConnection, update: DerivedUpdate) -> DerivedUpdate:
    """Checkpoint the file after an update that deleted rows, still under the update's memory
    limit: the deletes reach most row groups of search_postings (it is sorted by term), and
    checkpointing them needed more than the writer's 128 MB, which made the publish's checkpoint
    fail at 10x (measured). DuckLake has no such checkpoint: its commit wrote the deletes."""
    if update.deleted_rows and not ducklake.is_lake(con):
        con.execute("CHECKPOINT")
    return update


def _update(con: duckdb.DuckDBPyConnection, allow_full_build: bool, loaded_days: list[date] | None) -> DerivedUpdate:
    if scalar(con, "SELECT max(format_version) FROM search_stats") != FORMAT_VERSION:
        return _build_all(con) if allow_full_build else DEFERRED
    changed, indexed = search_postings.find_changed(con, loaded_days)
    dead = scalar(con, "SELECT count(*) FROM search_dead_keys")  # their postings are still stored
    if changed + dead > FULL_BUILD_SHARE * indexed:
        if not allow_full_build:
            con.execute("DROP TABLE derived_changed")
            return DEFERRED
        return _build_all(con)
    if not allow_full_build and changed and similar.recomputes_all(con, changed):
        con.execute("DROP TABLE derived_changed")
        return DEFERRED
    if changed == 0:
        con.execute("DROP TABLE derived_changed")
        search_postings.record_loads_indexed(con)
        return DerivedUpdate("unchanged", "unchanged", 0, _counts(con))
    deleted = search_postings.update_changed(con)
    con.execute("DROP TABLE derived_counts")
    similar_mode = similar.update(con, changed)
    con.execute("DROP TABLE derived_changed")
    search_postings.record_loads_indexed(con)
    return DerivedUpdate("incremental", similar_mode, changed, _counts(con), deleted_rows=deleted)


def _build_all(con: duckdb.DuckDBPyConnection) -> DerivedUpdate:
    # Dropped and created again from the schema file, so tables made by an older release get its
    # columns (and dropping is cheaper than deleting every row).
    for table in DERIVED_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute("DROP TABLE IF EXISTS derived_changed")
    con.execute(DERIVED_TABLES_DDL.read_text())
    # Work tables are ordinary tables, dropped before COMMIT: unlike TEMP tables their blocks
    # can leave memory for the database file, which the build needs at ~500k papers (the term
    # counts alone are ~2 GB there).
    chunks = search_postings.paper_chunks(con)
    search_postings.build_all(con, chunks, FORMAT_VERSION)
    similar.compute_all(con, [(chunk.first_key, chunk.last_key) for chunk in chunks])
    search_postings.record_loads_indexed(con)
    counts = _counts(con)
    return DerivedUpdate("full", "full", scalar(con, "SELECT count(*) FROM search_documents"), counts)


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows of search_index (one per live posting) and similar_papers."""
    return {
        # A term's df counts its live postings, exactly (kept by deltas): no scan of the postings,
        # which DuckDB ran for the dead-key case even when no key was dead (~0.6 s at 10x).
        "search_index": scalar(con, "SELECT coalesce(sum(df), 0)::BIGINT FROM search_terms"),
        "similar_papers": scalar(con, "SELECT count(*) FROM similar_papers"),
    }
