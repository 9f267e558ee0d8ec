"""author_papers: the load keeps it equal to what its SQL computes from papers and paper_authors."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import timedelta

import duckdb
import polars as pl

from tests.warehouse.test_load import DAY, batch, frame_like, paper
from transforms.person_names import author_key_expr
from warehouse.author_papers import refresh_author_papers
from warehouse.db import apply_schema, connect_writer
from warehouse.load import replace_partition, replace_partitions

NEXT = DAY + timedelta(days=1)


def rows(con) -> list[tuple]:
    return con.execute("SELECT * FROM author_papers ORDER BY ALL").fetchall()


def recomputed(con) -> list[tuple]:
    """What refresh_author_papers makes of the current papers and paper_authors."""
    con.execute("BEGIN TRANSACTION")
    try:
        refresh_author_papers(con)
        return rows(con)
    finally:
        con.execute("ROLLBACK")


def with_second_author(con, one_batch, *, twice=False):
    """The batch with author a2 on every paper (listed twice when `twice`: near-duplicate names)."""
    extra = [{**slot, "author_id": "a2", "position": 2, "name_as_listed": "Bo"} for slot in one_batch.paper_authors.to_dicts()]
    if twice:
        extra += [{**slot, "position": 3, "name_as_listed": "Bo."} for slot in extra]
    return dataclasses.replace(
        one_batch, paper_authors=frame_like(con, "paper_authors", one_batch.paper_authors.to_dicts() + extra)
    )


def test_a_load_writes_one_row_per_author_and_paper_with_its_upvotes(con):
    replace_partition(con, with_second_author(con, batch(con, [paper("2405.00001", 3), paper("2405.00002", 5)]), twice=True))
    a1, a2 = (int(hashlib.md5(a.encode()).hexdigest()[:16], 16) for a in ("a1", "a2"))
    assert rows(con) == sorted(
        [
            (DAY, a1, "a1", "2405.00001", 3),
            (DAY, a1, "a1", "2405.00002", 5),
            (DAY, a2, "a2", "2405.00001", 3),
            (DAY, a2, "a2", "2405.00002", 5),  # a2 listed twice: once
        ]
    )


def test_reloads_moves_and_ranges_keep_it_equal_to_its_definition(con):
    replace_partition(con, with_second_author(con, batch(con, [paper("2405.00001", 3), paper("2405.00002", 5)])))
    replace_partition(con, batch(con, [paper("2405.00009", 1, NEXT)], day=NEXT))
    # a new answer for DAY: paper 2 dropped, paper 1 has more upvotes and lost author a2
    replace_partition(con, batch(con, [paper("2405.00001", 9)]))
    assert rows(con) == recomputed(con)
    assert len(rows(con)) == 2
    # paper 1 listed again on NEXT moves there, in a range loaded together
    replace_partitions(
        con,
        [batch(con, [paper("2405.00003", 2)]), with_second_author(con, batch(con, [paper("2405.00001", 11, NEXT)], day=NEXT))],
    )
    assert rows(con) == recomputed(con)
    assert con.execute("SELECT DISTINCT listing_date, upvotes FROM author_papers WHERE paper_id = '2405.00001'").fetchall() == [
        (NEXT, 11)
    ]


def test_a_warehouse_made_before_the_table_gets_it_filled(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    con = connect_writer(path)
    replace_partition(con, with_second_author(con, batch(con, [paper("2405.00001", 3)])))
    loaded = rows(con)
    # as it was before author_papers existed: no rows there, and an older schema fingerprint
    con.execute("DELETE FROM author_papers")
    con.execute("DELETE FROM schema_applied")
    con.close()
    con = connect_writer(path)
    assert rows(con) == loaded and len(loaded) == 2
    con.close()


def test_a_load_stores_each_new_authors_name_folded(con):
    one = batch(con, [paper("2405.00001", 3)])
    one = dataclasses.replace(
        one, authors=frame_like(con, "authors", [{**one.authors.to_dicts()[0], "name": "Łukasz Ÿoung-Álvarez"}])
    )
    replace_partition(con, one)
    # strip_accents leaves Ł (a letter of its own, not L with a mark) and lower() folds it
    assert con.execute("SELECT name_folded FROM authors").fetchall() == [("łukasz young-alvarez",)]


def test_a_warehouse_made_before_name_folded_gets_it_filled(tmp_path):
    path = tmp_path / "warehouse.duckdb"
    con = connect_writer(path)
    replace_partition(con, batch(con, [paper("2405.00001", 3)]))
    # as it was before the column existed, with an older schema fingerprint
    con.execute("ALTER TABLE authors DROP COLUMN name_folded")
    con.execute("DELETE FROM schema_applied")
    con.close()
    con = connect_writer(path)
    assert con.execute("SELECT name, name_folded FROM authors").fetchall() == [("Ada", "ada")]
    con.close()


def test_author_key_is_the_first_16_hex_digits_of_the_md5_of_the_id_in_sql_and_polars():
    con = duckdb.connect()
    apply_schema(con)
    ids = ["aa3c2060e578fe28", "alice", "Łukasz", "ffffffffffffffff"]
    in_polars = pl.DataFrame({"author_id": ids}).select(author_key_expr(pl.col("author_id")))["author_id"].to_list()
    for author_id, polars_key in zip(ids, in_polars, strict=True):
        expected = int(hashlib.md5(author_id.encode()).hexdigest()[:16], 16)
        assert con.execute("SELECT author_key(?)", [author_id]).fetchone()[0] == expected == polars_key


def test_the_transform_gives_each_author_its_key():
    from transforms.author_rows import authors_frame

    slots = pl.DataFrame(
        {
            "fetch": [0, 0],
            "author_id": ["a1", "b2"],
            "name_as_listed": ["Ada", "Bo"],
            "identity_key": ["name:ada", "hf:bo"],
            "status": [None, None],
        }
    )
    keys = authors_frame(slots).select("author_id", "author_key").rows()
    assert keys == [(a, int(hashlib.md5(a.encode()).hexdigest()[:16], 16)) for a in ("a1", "b2")]


def test_the_asset_check_fails_when_two_author_ids_share_a_key(con):
    from orchestration.ingest.table_checks import table_check_results

    replace_partition(con, with_second_author(con, batch(con, [paper("2405.00001", 3)])))
    con.execute(
        "INSERT INTO authors (author_id, name, identity_key, author_key) VALUES ('a2', 'Bo', 'name:bo', author_key('a2'))"
    )
    passed = lambda: {r.check_name: r.passed for r in table_check_results(con, [DAY])}["author_keys_unique"]  # noqa: E731
    assert passed()
    # a collision cannot be found by hand in md5: give a2 the key of a1
    con.execute("UPDATE authors SET author_key = author_key('a1') WHERE author_id = 'a2'")
    assert not passed()
    con.execute("UPDATE authors SET author_key = NULL WHERE author_id = 'a2'")  # and a missing key
    assert not passed()
