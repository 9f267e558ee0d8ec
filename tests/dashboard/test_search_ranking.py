"""search_top (the dashboard's search) gives what the search_papers_top macro gives."""

from __future__ import annotations

from datetime import date

import pytest

from bench.generate import DayGenerator
from dashboard.search_ranking import posting_scores, search_top
from tests.warehouse.conftest import HandMadeWarehouse, paper
from warehouse.derived import rebuild_derived_tables

DAY = date(2025, 1, 22)


def macro(con, query, limit):
    return con.sql("SELECT * FROM search_papers_top(?, ?)", params=[query, limit]).pl()


def assert_same(found, expected):
    assert found is not None
    assert found.columns == expected.columns and found.dtypes == expected.dtypes
    assert found.drop("score").rows() == expected.drop("score").rows()
    assert found["score"].to_list() == pytest.approx(expected["score"].to_list(), rel=1e-12)


@pytest.fixture
def hand_warehouse():
    warehouse = HandMadeWarehouse()
    yield warehouse
    warehouse.con.close()


@pytest.fixture(scope="module")
def generated():
    """120 generated papers (bench generator): common words match most of them."""
    warehouse = HandMadeWarehouse()
    items = [item for day in (DAY, date(2025, 1, 23), date(2025, 1, 24)) for item in DayGenerator(40, seed=3).items(day)]
    warehouse.insert(
        "papers",
        [
            paper(
                item["paper"]["id"], DAY, item["paper"]["upvotes"], title=item["paper"]["title"], summary=item["paper"]["summary"]
            )
            for item in items
        ],
    )
    rebuild_derived_tables(warehouse.con)
    yield warehouse.con
    warehouse.con.close()


@pytest.mark.parametrize(
    "query", ["language model reasoning", "model", "learning via diffusion", "zzzz unknown", "the of and", ""]
)
@pytest.mark.parametrize("limit", [1, 10, 50, None])
def test_the_same_rows_as_the_macro(generated, query, limit):
    assert_same(search_top(generated, query, limit), macro(generated, query, limit))


def test_common_words_match_most_papers_so_the_comparison_is_not_trivial(generated):
    assert macro(generated, "language model reasoning", None).height > 60


def test_ties_at_the_last_kept_score_are_ordered_by_upvotes_then_id(hand_warehouse):
    hand_warehouse.insert(
        "papers",
        [
            paper("b", DAY, 5, title="Alpha"),
            paper("a", DAY, 5, title="Alpha"),  # same score, same upvotes
            paper("c", DAY, 9, title="Alpha"),  # same score, more upvotes
            paper("d", DAY, 1, title="Beta"),
        ],
    )
    rebuild_derived_tables(hand_warehouse.con)
    found = search_top(hand_warehouse.con, "alpha", 2)
    assert found["paper_id"].to_list() == ["c", "a"]
    assert_same(found, macro(hand_warehouse.con, "alpha", 2))


def test_a_snapshot_published_before_search_postings_falls_back_to_the_macro(hand_warehouse):
    hand_warehouse.insert("papers", [paper("t1", DAY, 5, title="Alpha")])
    rebuild_derived_tables(hand_warehouse.con)
    assert search_top(hand_warehouse.con, "alpha", 10) is not None
    hand_warehouse.con.execute("DROP VIEW search_index")
    hand_warehouse.con.execute("DROP TABLE search_postings")
    assert search_top(hand_warehouse.con, "alpha", 10) is None


def scores_by_key(keys, scores) -> dict[int, float]:
    assert len(set(keys.tolist())) == len(keys)  # one posting per paper and term
    return dict(zip(keys.tolist(), scores.tolist(), strict=True))


def test_every_posting_scores_the_bits_of_the_bm25_macro(generated):
    # the macro's score of every posting, read once (one query per term took ~10 s for the file)
    expected: dict[str, dict[int, float]] = {}
    for term, key, score in generated.execute("SELECT term, paper_key, score FROM search_index").fetchall():
        expected.setdefault(term, {})[key] = score
    terms = [row[0] for row in generated.execute("SELECT DISTINCT term FROM search_postings ORDER BY 1").fetchall()]
    assert len(terms) > 100 and sorted(expected) == terms
    for term in terms:
        assert scores_by_key(*posting_scores(generated, [term])) == expected[term], term  # exact, not approx


def test_postings_of_dead_keys_are_left_out_and_unknown_terms_give_none(generated):
    keys, _ = posting_scores(generated, ["model"])
    dead = keys[:3].tolist()
    generated.execute("INSERT INTO search_dead_keys SELECT unnest(?::INTEGER[])", [dead])
    try:
        found = scores_by_key(*posting_scores(generated, ["model", "zzzz"]))
        expected = dict(generated.execute("SELECT paper_key, score FROM search_index WHERE term = 'model'").fetchall())
        assert found == expected and not set(dead) & set(found) and len(found) == len(keys) - 3
    finally:
        generated.execute("DELETE FROM search_dead_keys")
    assert [len(part) for part in posting_scores(generated, [])] == [0, 0]
