"""rebuild_derived_tables: the search index and similar papers follow the current papers."""

from __future__ import annotations

from datetime import date

import pytest

from tests.warehouse.conftest import paper
from warehouse import similar
from warehouse.derived import rebuild_derived_tables

DAY = date(2025, 12, 25)

PAPERS = [
    # n1 and n2 share the rare words 'nemotron' and 'mamba'; n3 shares only 'mamba' with them.
    paper("n1", DAY, title="Nemotron Mamba hybrid", summary="A nemotron model."),
    paper("n2", DAY, title="Nemotron Mamba scaling", summary="Training nemotron."),
    paper("n3", DAY, title="Mamba for vision", summary="State space vision."),
    # shares no word with anyone: gets no neighbours
    paper("q1", DAY, title="Quantum annealing", summary="Qubits."),
]


@pytest.fixture
def warehouse(hand_warehouse):
    hand_warehouse.insert("papers", PAPERS)
    return hand_warehouse


def test_rebuild_reports_row_counts(warehouse):
    counts = rebuild_derived_tables(warehouse.con)
    # distinct (term, paper): n1 nemotron mamba hybrid model = 4, n2 nemotron mamba scaling
    # training = 4, n3 mamba vision state space = 4, q1 quantum annealing qubit = 3
    assert counts == {"search_index": 15, "similar_papers": 6}
    assert warehouse.rows("SELECT count(*) AS n FROM search_index")[0]["n"] == 15


def test_similar_papers_rank_the_closest_first(warehouse):
    rebuild_derived_tables(warehouse.con)
    rows = warehouse.rows("SELECT paper_id, similar_paper_id, rank FROM similar_papers ORDER BY paper_id, rank")
    assert [(r["paper_id"], r["similar_paper_id"], r["rank"]) for r in rows] == [
        ("n1", "n2", 1),
        ("n1", "n3", 2),  # two shared words beat one
        ("n2", "n1", 1),
        ("n2", "n3", 2),
        ("n3", "n1", 1),
        ("n3", "n2", 2),  # n1 and n2 tie for n3 (each shares 'mamba'): by id
    ]
    scores = {(r["paper_id"], r["similar_paper_id"]): r["score"] for r in warehouse.rows("SELECT * FROM similar_papers")}
    assert 0 < scores[("n1", "n3")] < scores[("n1", "n2")] <= 1
    assert scores[("n1", "n2")] == pytest.approx(scores[("n2", "n1")])  # cosine is symmetric


def test_similar_papers_written_in_slices_are_the_same_rows(warehouse, monkeypatch):
    rebuild_derived_tables(warehouse.con)
    whole = warehouse.rows("SELECT * FROM similar_papers ORDER BY paper_id, rank")
    monkeypatch.setattr(similar, "SIMILAR_INSERT_ROWS", 4)  # 6 neighbours: two statements
    rebuild_derived_tables(warehouse.con)
    assert warehouse.rows("SELECT * FROM similar_papers ORDER BY paper_id, rank") == whole and len(whole) == 6


def test_rebuild_replaces_rather_than_appends(warehouse):
    rebuild_derived_tables(warehouse.con)
    warehouse.con.execute("DELETE FROM papers WHERE paper_id IN ('n2', 'n3')")
    counts = rebuild_derived_tables(warehouse.con)
    # n1 (4 terms) and q1 (3 terms) remain and share nothing
    assert counts == {"search_index": 7, "similar_papers": 0}
    assert warehouse.rows("SELECT DISTINCT paper_id FROM search_index ORDER BY 1") == [{"paper_id": "n1"}, {"paper_id": "q1"}]


def test_rebuild_on_an_empty_warehouse(hand_warehouse):
    assert rebuild_derived_tables(hand_warehouse.con) == {"search_index": 0, "similar_papers": 0}


def test_a_rebuild_that_runs_out_of_memory_is_retried_with_more(warehouse, monkeypatch):
    from warehouse import derived

    expected = rebuild_derived_tables(warehouse.con)
    rows = warehouse.rows("SELECT * FROM similar_papers ORDER BY ALL")
    warehouse.con.execute("SET memory_limit = '3GB'")
    monkeypatch.setattr(derived, "REBUILD_MEMORY_LIMITS", ("1KB", "150MB"))
    assert rebuild_derived_tables(warehouse.con) == expected
    again = warehouse.rows("SELECT * FROM similar_papers ORDER BY ALL")
    # DuckDB sums doubles in parallel, in no fixed order: scores may differ in the last bit
    assert [{**row, "score": pytest.approx(row["score"], rel=1e-12)} for row in again] == rows
    assert warehouse.rows("SELECT current_setting('memory_limit') AS m")[0]["m"].startswith("2.")  # restored


def test_a_rebuild_out_of_memory_at_every_limit_keeps_the_old_tables(warehouse, monkeypatch):
    import duckdb

    from warehouse import derived

    rebuild_derived_tables(warehouse.con)
    before = warehouse.rows("SELECT * FROM search_index ORDER BY ALL")
    monkeypatch.setattr(derived, "REBUILD_MEMORY_LIMITS", ("1KB", "2KB"))
    with pytest.raises(duckdb.OutOfMemoryException):
        rebuild_derived_tables(warehouse.con)
    assert warehouse.rows("SELECT * FROM search_index ORDER BY ALL") == before


def test_a_build_whose_transaction_the_database_ended_raises_its_own_error(warehouse, monkeypatch):
    # A fatal error (a full disk) ends DuckDB's transaction itself: the ROLLBACK's "no transaction
    # is active" must not replace the error that says why.
    def fatal_build(con):
        con.execute("ROLLBACK")  # as DuckDB does on a fatal error
        raise OSError("No space left on device")

    monkeypatch.setattr("warehouse.derived._build_all", fatal_build)
    with pytest.raises(OSError, match="No space left on device"):
        rebuild_derived_tables(warehouse.con)
