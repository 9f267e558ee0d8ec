"""search_top (the dashboard's search) gives what the search_papers_top macro gives."""

from __future__ import annotations

from datetime import date

import pytest

from bench.generate import DayGenerator
from dashboard.search_ranking import search_top
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
