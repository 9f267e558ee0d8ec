"""Partition replace: one transaction per listing day, idempotent, and never lossy."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

import duckdb
import polars as pl
import pytest

from warehouse.db import apply_schema
from warehouse.load import PartitionBatch, replace_partition

DAY = date(2024, 5, 27)
FETCHED = datetime(2024, 5, 27, 23, 0)
A1_KEY = int(hashlib.md5(b"a1").hexdigest()[:16], 16)  # author_key('a1'), as the transform computes it


def frame_like(con, table: str, rows: list[dict]) -> pl.DataFrame:
    """Rows typed exactly like the warehouse table, so tests exercise INSERT BY NAME as loads do."""
    schema = con.sql(f"SELECT * FROM {table} LIMIT 0").pl().schema
    return pl.DataFrame(rows, schema=schema)


def paper(paper_id: str, upvotes: int, day: date = DAY) -> dict:
    return {
        "paper_id": paper_id,
        "title": f"Paper {paper_id}",
        "listing_date": day,
        "upvotes": upvotes,
        "num_comments": 0,
        "author_count": 1,
    }


def batch(con, papers: list[dict], *, day: date = DAY, authors_per_paper=1, bad_slot=False) -> PartitionBatch:
    slots = [
        {"paper_id": p["paper_id"], "author_id": "a1", "position": 1, "name_as_listed": "Ada", "listing_date": day}
        for p in papers
    ]
    if bad_slot and slots:
        # A slot without a name violates NOT NULL: the load fails after papers were replaced.
        slots.append({**slots[0], "position": 2, "name_as_listed": None})
    votes = [
        {"paper_id": p["paper_id"], "observed_at": FETCHED, "upvotes": p["upvotes"], "num_comments": 0, "listing_date": day}
        for p in papers
    ]
    return PartitionBatch(
        listing_date=day,
        fetched_at=FETCHED,
        fetch_count=1,
        raw_records=len(papers),
        papers=frame_like(con, "papers", papers),
        paper_authors=frame_like(con, "paper_authors", slots),
        votes=frame_like(con, "votes", votes),
        quarantined_records=frame_like(con, "quarantined_records", []),
        authors=frame_like(
            con,
            "authors",
            [{"author_id": "a1", "name": "Ada", "hf_username": None, "identity_key": "name:ada", "author_key": A1_KEY}],
        ),
        submitters=frame_like(con, "submitters", []),
        organizations=frame_like(con, "organizations", []),
    )


def snapshot(con) -> dict[str, list[tuple]]:
    tables = ["papers", "authors", "paper_authors", "author_papers", "votes"]
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


def test_rerun_of_the_same_batch_changes_nothing(con):
    replace_partition(con, batch(con, [paper("2405.00001", 3), paper("2405.00002", 5)]))
    first = snapshot(con)
    replace_partition(con, batch(con, [paper("2405.00001", 3), paper("2405.00002", 5)]))
    assert snapshot(con) == first
    assert len(first["papers"]) == 2


def test_a_new_answer_replaces_the_day_whole(con):
    replace_partition(con, batch(con, [paper("2405.00001", 3), paper("2405.00002", 5)]))
    # The newer listing dropped paper 2 and updated paper 1's count.
    outcome = replace_partition(con, batch(con, [paper("2405.00001", 9)]))
    assert outcome.replaced and outcome.previous_papers == 2
    assert con.execute("SELECT paper_id, upvotes FROM papers").fetchall() == [("2405.00001", 9)]
    assert con.execute("SELECT count(*) FROM paper_authors").fetchall()[0][0] == 1


def test_a_load_that_fails_halfway_leaves_the_old_rows(con):
    replace_partition(con, batch(con, [paper("2405.00001", 3)]))
    before = snapshot(con)
    with pytest.raises(duckdb.ConstraintException):
        # papers are deleted and re-inserted before paper_authors hits the missing name.
        replace_partition(con, batch(con, [paper("2405.00001", 7), paper("2405.00003", 1)], bad_slot=True))
    assert snapshot(con) == before


def test_an_empty_answer_never_wipes_a_day_that_had_rows(con):
    replace_partition(con, batch(con, [paper("2405.00001", 3)]))
    outcome = replace_partition(con, batch(con, []))
    assert not outcome.replaced and outcome.previous_papers == 1
    assert con.execute("SELECT count(*) FROM papers").fetchall()[0][0] == 1


def test_an_empty_answer_for_an_empty_day_is_recorded(con):
    outcome = replace_partition(con, batch(con, []))
    assert outcome.replaced
    assert con.execute("SELECT loaded_papers FROM partition_loads").fetchall() == [(0,)]


def test_other_days_are_untouched(con):
    other = date(2024, 5, 28)
    replace_partition(con, batch(con, [paper("2405.00009", 1, other)], day=other))
    replace_partition(con, batch(con, [paper("2405.00001", 3)]))
    replace_partition(con, batch(con, [paper("2405.00001", 4)]))
    assert con.execute("SELECT listing_date, count(*) FROM papers GROUP BY 1 ORDER BY 1").fetchall() == [(DAY, 1), (other, 1)]


def test_a_paper_listed_again_moves_to_the_day_loaded_last(con):
    replace_partition(con, batch(con, [paper("2405.00001", 3)]))
    later = date(2024, 6, 3)
    replace_partition(con, batch(con, [paper("2405.00001", 8, later)], day=later))
    assert con.execute("SELECT listing_date, upvotes FROM papers").fetchall() == [(later, 8)]


# --- several days in one transaction (how a run loads its range) ---

NEXT = DAY + __import__("datetime").timedelta(days=1)


def test_a_range_loads_like_its_days_one_by_one(con):
    from warehouse.load import replace_partitions

    days = [batch(con, [paper("2405.00001", 3), paper("2405.00002", 5)]), batch(con, [paper("2405.00003", 1, NEXT)], day=NEXT)]
    outcomes = replace_partitions(con, days)
    together = snapshot(con)
    fresh = duckdb.connect()
    apply_schema(fresh)
    for one in days:
        replace_partition(fresh, one)
    assert snapshot(fresh) == together
    assert [o.papers for o in outcomes] == [2, 1]


def test_a_paper_on_two_days_of_a_range_ends_on_the_later_day(con):
    from warehouse.load import replace_partitions

    replace_partitions(con, [batch(con, [paper("2405.00001", 3)]), batch(con, [paper("2405.00001", 4, NEXT)], day=NEXT)])
    assert con.execute("SELECT listing_date, upvotes FROM papers").fetchall() == [(NEXT, 4)]
    assert con.execute("SELECT DISTINCT listing_date FROM paper_authors").fetchall() == [(NEXT,)]


def test_a_failure_in_a_range_rolls_every_day_of_it_back(con):
    from warehouse.load import replace_partitions

    replace_partitions(con, [batch(con, [paper("2405.00001", 3)])])
    before = snapshot(con)
    with pytest.raises(duckdb.ConstraintException):
        replace_partitions(
            con, [batch(con, [paper("2405.00001", 9)]), batch(con, [paper("2405.00005", 1, NEXT)], day=NEXT, bad_slot=True)]
        )
    assert snapshot(con) == before


def test_an_empty_day_in_a_range_keeps_its_rows_while_the_others_load(con):
    from warehouse.load import replace_partitions

    replace_partitions(con, [batch(con, [paper("2405.00001", 3)])])
    outcomes = replace_partitions(con, [batch(con, []), batch(con, [paper("2405.00005", 1, NEXT)], day=NEXT)])
    assert [o.replaced for o in outcomes] == [False, True]
    assert con.execute("SELECT paper_id FROM papers ORDER BY 1").fetchall() == [("2405.00001",), ("2405.00005",)]


# --- a run's range in chunks (transformed lazily), still one transaction ---

LATER = NEXT + __import__("datetime").timedelta(days=1)


def test_chunks_load_like_one_chunk_of_all_their_days(con):
    from warehouse.load import replace_partitions, replace_partitions_in_chunks

    def days(c):
        return [
            batch(c, [paper("2405.00001", 3), paper("2405.00002", 5)]),
            batch(c, [paper("2405.00002", 6, NEXT)], day=NEXT),  # moves to the later day
            batch(c, [paper("2405.00003", 1, LATER)], day=LATER),
        ]

    one = days(con)
    outcomes = replace_partitions_in_chunks(con, iter([one[:1], one[1:2], one[2:]]))
    fresh = duckdb.connect()
    apply_schema(fresh)
    replace_partitions(fresh, days(fresh))
    assert snapshot(con) == snapshot(fresh)
    assert [o.papers for o in outcomes] == [2, 1, 1]
    assert con.execute("SELECT listing_date FROM papers WHERE paper_id = '2405.00002'").fetchall() == [(NEXT,)]


def test_a_failure_in_a_later_chunk_rolls_back_the_earlier_chunks_too(con):
    from warehouse.load import replace_partitions, replace_partitions_in_chunks

    replace_partitions(con, [batch(con, [paper("2405.00001", 3)])])
    before = snapshot(con)
    made = []

    def chunks():
        made.append(1)
        yield [batch(con, [paper("2405.00001", 9)])]
        made.append(2)
        yield [batch(con, [paper("2405.00005", 1, NEXT)], day=NEXT, bad_slot=True)]

    with pytest.raises(duckdb.ConstraintException):
        replace_partitions_in_chunks(con, chunks())
    assert made == [1, 2]
    assert snapshot(con) == before


def test_a_loaded_chunks_rows_are_released_before_the_transaction_ends(con, monkeypatch):
    """The rows handed to DuckDB must not outlive their statements: a run's chunks would pile up
    in memory until its commit (rows registered with con.register do, even after unregister)."""
    import gc
    import weakref

    from warehouse.load import replace_partitions_in_chunks

    handed: list[weakref.ref] = []
    to_arrow = pl.DataFrame.to_arrow

    def recorded_to_arrow(frame, *args, **kwargs):
        table = to_arrow(frame, *args, **kwargs)
        handed.append(weakref.ref(table))
        return table

    monkeypatch.setattr(pl.DataFrame, "to_arrow", recorded_to_arrow)
    alive_when_second_chunk_was_made: list[int] = []

    def chunks():
        yield [batch(con, [paper("2405.00001", 3)])]
        gc.collect()
        alive_when_second_chunk_was_made.append(sum(ref() is not None for ref in handed))
        yield [batch(con, [paper("2405.00002", 1, NEXT)], day=NEXT)]

    replace_partitions_in_chunks(con, chunks())
    assert handed, "the load hands its rows to DuckDB as Arrow tables"
    assert alive_when_second_chunk_was_made == [0]
    assert con.execute("SELECT count(*) FROM papers").fetchall() == [(2,)]


def test_a_refetched_day_updated_in_place_equals_its_new_answer_loaded_alone(con):
    # What the file's in-place update of papers listed again on their day must equal: the day
    # deleted and inserted whole.
    def answer(c, first: bool):
        rows = [
            # keywords added later (a list column: its row is deleted and inserted instead)
            {**paper("2405.00001", 3), "ai_keywords": None if first else ["agents"]},
            # title edited, votes grew: updated in place
            {**paper("2405.00002", 5 if first else 8), "title": "Old title" if first else "New title"},
            # unchanged
            {**paper("2405.00003", 1), "ai_keywords": ["rl"]},
        ]
        rows.append(paper("2405.00004", 2) if first else paper("2405.00005", 7))  # dropped; new
        return batch(c, rows)

    replace_partition(con, answer(con, first=True))
    replace_partition(con, answer(con, first=False))
    fresh = duckdb.connect()
    apply_schema(fresh)
    replace_partition(fresh, answer(fresh, first=False))
    assert snapshot(con) == snapshot(fresh)
    assert con.execute("SELECT count(*) - count(DISTINCT paper_id) FROM papers").fetchall() == [(0,)]


def test_authors_upserted_once_per_load_equal_upserts_chunk_by_chunk(con):
    from dataclasses import replace

    from warehouse.load import replace_partitions, replace_partitions_in_chunks

    def with_author(b: PartitionBatch, c, name: str, hf_username: str | None) -> PartitionBatch:
        author = {"author_id": "a1", "name": name, "hf_username": hf_username, "identity_key": "name:ada", "author_key": A1_KEY}
        return replace(b, authors=frame_like(c, "authors", [author]))

    def chunks(c):
        # the first chunk adds the author; the second knows her username; the third does not
        return [
            [with_author(batch(c, [paper("2405.00001", 3)]), c, "Ada", None)],
            [with_author(batch(c, [paper("2405.00002", 6, NEXT)], day=NEXT), c, "Ada L.", "ada")],
            [with_author(batch(c, [paper("2405.00003", 1, LATER)], day=LATER), c, "A. L.", None)],
        ]

    replace_partitions_in_chunks(con, iter(chunks(con)))
    in_turn = duckdb.connect()
    apply_schema(in_turn)
    for chunk in chunks(in_turn):
        replace_partitions(in_turn, chunk)
    assert snapshot(con) == snapshot(in_turn)
    assert con.execute("SELECT name, hf_username FROM authors").fetchall() == [("Ada", "ada")]


def test_a_loads_dimension_rows_are_folded_to_one_per_key_every_few_chunks(con):
    """However many chunks name an author, a load holds at most DIMENSION_FRAMES_HELD chunks of
    rows for its one upsert at the end: appending every chunk's rows held a 10x quarter's ~45 chunks."""
    from warehouse.load import DIMENSION_FRAMES_HELD, UPSERTED_TABLES, _as_upserted_in_turn, _fold_dimensions

    def author(author_id: str, name: str, hf_username: str | None) -> dict:
        return dict(author_id=author_id, name=name, hf_username=hf_username, identity_key="name:ada", author_key=A1_KEY)

    held: dict[str, list[pl.DataFrame]] = {table: [] for table in UPSERTED_TABLES}
    names = [("Ada", None), ("Ada L.", "ada"), ("A. L.", None)] * (2 * DIMENSION_FRAMES_HELD)
    for name, hf_username in names:
        incoming = {table: frame_like(con, table, []) for table in UPSERTED_TABLES}
        incoming["authors"] = frame_like(con, "authors", [author("a1", name, hf_username), author("b2", "Bo", None)])
        _fold_dimensions(held, incoming)
        assert len(held["authors"]) < DIMENSION_FRAMES_HELD
        assert sum(frame.height for frame in held["authors"]) <= 2 * DIMENSION_FRAMES_HELD
    upserted = _as_upserted_in_turn(held["authors"], "author_id", UPSERTED_TABLES["authors"][1])
    assert upserted.select("author_id", "name", "hf_username").rows() == [("a1", "Ada", "ada"), ("b2", "Bo", None)]
