"""rebuild_derived_tables runs the text_index formulas in DuckDB, in chunks, under a memory
limit: it must give what the pure Polars text_index functions give, whatever the chunk sizes."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from tests.warehouse.conftest import paper
from transforms import text_index
from warehouse import derived, search_postings, similar as similar_module
from warehouse.db import apply_schema, scalar

DAY = date(2025, 12, 25)

PAPERS = [
    # m1..m4 all say 'mamba': with one paper kept per term, only the heaviest keeps it
    paper("m1", DAY, title="Mamba mamba state", summary="Selective state space."),
    paper("m2", DAY, title="Mamba vision", summary="State space vision backbone."),
    paper("m3", DAY, title="Mamba speech", summary="Speech state model."),
    # the same words as m3: equal weights, so ties between m3 and m4 are broken by id
    paper("m4", DAY, title="Mamba speech", summary="Speech state model."),
    # a word in every paper ('model' is in m3, m4 and here): weighs less, a short abstract
    paper("t1", DAY, title="Transformer model", summary="Attention."),
    # k1's two words weigh the same: with one term kept per paper, 'kappa' (the smaller term)
    # is kept, so k1's neighbour is k2, not k3
    paper("k1", DAY, title="Kappa omega", summary=None),
    paper("k2", DAY, title="Kappa xi", summary=None),
    paper("k3", DAY, title="Omega zeta", summary=None),
    # no abstract, and no word shared with anyone: no neighbours
    paper("q1", DAY, title="Quantum annealing", summary=None),
]


@pytest.fixture
def warehouse(hand_warehouse):
    hand_warehouse.insert("papers", PAPERS)
    return hand_warehouse


def polars_reference(con, terms_per_paper: int, papers_per_term: int) -> dict[str, pl.DataFrame]:
    """The derived tables by the pure Polars path of transforms/text_index.py."""
    counts = text_index.weighted_term_counts(derived.paper_tokens(con), title_weight=derived.TITLE_WEIGHT)
    return {
        "search_index": text_index.bm25_index(counts),
        "similar_papers": text_index.nearest_neighbours(
            text_index.tfidf_vectors(counts),
            k=derived.SIMILAR_PER_PAPER,
            terms_per_paper=terms_per_paper,
            papers_per_term=papers_per_term,
        ),
    }


def table(con, name: str, keys: list[str]) -> pl.DataFrame:
    return con.sql(f"SELECT * FROM {name}").pl().sort(keys)


@pytest.mark.parametrize(
    ("token_chunk", "index_chunk", "neighbour_chunk", "terms", "papers"),
    [
        (4_000, 3_000_000, 500, 20, 50),  # the shipped sizes: nothing pruned in this tiny corpus
        (1, 1, 1, 20, 50),  # one paper (one term) per chunk: chunking must not change anything
        (4, 5, 2, 2, 2),  # pruning bites: two terms per paper, two papers per term
        (4_000, 3_000_000, 500, 1, 50),  # one term per paper: k1's tie decides its neighbour
    ],
)
def test_rebuild_matches_the_polars_functions(warehouse, monkeypatch, token_chunk, index_chunk, neighbour_chunk, terms, papers):
    monkeypatch.setattr(search_postings, "TOKEN_CHUNK_PAPERS", token_chunk)
    monkeypatch.setattr(search_postings, "INDEX_CHUNK_POSTINGS", index_chunk)
    monkeypatch.setattr(similar_module, "NEIGHBOUR_CHUNK_PAPERS", neighbour_chunk)
    monkeypatch.setattr(similar_module, "TERMS_PER_PAPER", terms)
    monkeypatch.setattr(similar_module, "PAPERS_PER_TERM", papers)
    counts = derived.rebuild_derived_tables(warehouse.con)
    expected = polars_reference(warehouse.con, terms, papers)

    search = table(warehouse.con, "search_index", ["term", "paper_id"])
    want_search = expected["search_index"].sort(["term", "paper_id"])
    assert search.select("term", "paper_id").rows() == want_search.select("term", "paper_id").rows()
    assert search["score"].to_list() == pytest.approx(want_search["score"].to_list())

    similar = table(warehouse.con, "similar_papers", ["paper_id", "rank"])
    want_similar = expected["similar_papers"].sort(["paper_id", "rank"])
    assert (
        similar.select("paper_id", "similar_paper_id", "rank").rows()
        == want_similar.select("paper_id", "similar_paper_id", "rank").rows()
    )
    assert similar["score"].to_list() == pytest.approx(want_similar["score"].to_list())
    assert counts == {"search_index": want_search.height, "similar_papers": want_similar.height}
    assert want_similar.height > 0  # the comparison covers real neighbours, not two empty tables


def test_pruning_keeps_one_paper_per_term(warehouse, monkeypatch):
    monkeypatch.setattr(similar_module, "PAPERS_PER_TERM", 1)
    derived.rebuild_derived_tables(warehouse.con)
    rows = warehouse.rows("SELECT paper_id, similar_paper_id FROM similar_papers ORDER BY ALL")
    # every kept term belongs to one paper only, so no two papers share a kept term
    assert rows == []


def test_the_connection_memory_limit_is_restored(warehouse):
    # a round GiB: DuckDB reports the limit rounded to 0.1 MiB, which is what gets restored
    warehouse.con.execute("SET memory_limit = '1GiB'")
    before = scalar(warehouse.con, "SELECT current_setting('memory_limit')")
    derived.rebuild_derived_tables(warehouse.con)
    assert scalar(warehouse.con, "SELECT current_setting('memory_limit')") == before


def test_no_temporary_tables_are_left_behind(warehouse):
    derived.rebuild_derived_tables(warehouse.con)
    left = warehouse.rows("SELECT table_name FROM duckdb_tables() WHERE temporary")
    assert left == []


def test_the_index_is_stored_in_term_order_when_built_one_term_range_at_a_time(warehouse, monkeypatch):
    # search_papers_top relies on it: DuckDB then reads only the row groups of a query's terms
    monkeypatch.setattr(search_postings, "INDEX_CHUNK_POSTINGS", 3)
    derived.rebuild_derived_tables(warehouse.con)
    terms = [row[0] for row in warehouse.con.execute("SELECT term FROM search_postings ORDER BY rowid").fetchall()]
    assert len(set(terms)) > 5 and terms == sorted(terms)


def test_each_posting_carries_its_papers_rank_by_id_as_paper_key(warehouse, monkeypatch):
    monkeypatch.setattr(search_postings, "INDEX_CHUNK_POSTINGS", 3)  # keys must agree across term ranges
    derived.rebuild_derived_tables(warehouse.con)
    keys = dict(warehouse.con.execute("SELECT DISTINCT paper_id, paper_key FROM search_index").fetchall())
    assert keys == {paper_id: rank for rank, paper_id in enumerate(sorted(keys))}
    assert len(keys) == len(PAPERS)


def test_a_stored_search_index_of_an_older_release_becomes_the_view_and_is_built_whole(warehouse):
    for table in derived.DERIVED_TABLES:
        warehouse.con.execute(f"DROP TABLE IF EXISTS {table}")
    warehouse.con.execute("DROP VIEW search_index")
    # as FORMAT_VERSION 1 stored it, beside its similar_papers
    warehouse.con.execute("CREATE TABLE search_index (term VARCHAR, paper_id VARCHAR, score DOUBLE, paper_key INTEGER)")
    warehouse.con.execute("INSERT INTO search_index VALUES ('stale', 'm1', 1.0, 0)")
    warehouse.con.execute("CREATE TABLE similar_papers (paper_id VARCHAR, similar_paper_id VARCHAR, rank INTEGER, score DOUBLE)")
    apply_schema(warehouse.con)  # what connect_writer does when the schema files changed
    assert warehouse.rows("SELECT table_type FROM information_schema.tables WHERE table_name = 'search_index'") == [
        {"table_type": "VIEW"}
    ]
    update = derived.update_derived_tables(warehouse.con)
    assert (update.search, update.similar) == ("full", "full")
    assert scalar(warehouse.con, "SELECT count(*) FROM search_index WHERE term = 'stale'") == 0
    assert scalar(warehouse.con, "SELECT count(DISTINCT paper_id) FROM search_index") == len(PAPERS)
