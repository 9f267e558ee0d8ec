"""The search tables comparison: two builds of the same papers agree; any changed value is found."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from bench import compare_search_tables
from tests.warehouse.conftest import papers_file

DAY = date(2025, 12, 25)


@pytest.fixture
def built_twice(tmp_path):
    rows = [
        ("a1", "Mamba state space", "Selective state space models."),
        ("a2", "Mamba vision", "State space vision."),
        ("a3", "Graph language model", "A language model of graphs."),
    ]
    source = papers_file(tmp_path / "source.duckdb", DAY, rows)
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    for out in (a, b):
        assert compare_search_tables.build(source, out)["similar_papers"] > 0
    return a, b


def test_two_builds_of_the_same_papers_are_the_same(built_twice, capsys):
    assert compare_search_tables.main(["compare", *map(str, built_twice)]) == 0
    assert "same search tables" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("change", "table"),
    [
        ("UPDATE search_postings SET tf = tf + 1 WHERE paper_id = 'a1' AND term = 'mamba'", "search_postings"),
        ("UPDATE similar_papers SET score = score * (1 + 1e-9) WHERE paper_id = 'a1'", "similar_papers"),
        ("UPDATE similar_postings SET term = 'other' WHERE paper_id = 'a2' AND term = 'space'", "similar_postings"),
        ("UPDATE search_terms SET df = df + 1 WHERE term = 'graph'", "search_terms"),
    ],
)
def test_a_changed_value_is_a_difference(built_twice, capsys, change, table):
    a, b = built_twice
    con = duckdb.connect(str(b))
    assert con.execute(change).fetchall()[0][0] >= 1  # the change reached a row
    con.close()
    assert compare_search_tables.main(["compare", str(a), str(b)]) == 1
    assert table in capsys.readouterr().err


def test_postings_out_of_term_order_are_a_difference(built_twice):
    a, b = built_twice
    con = duckdb.connect(str(b))
    rows = con.execute("SELECT * FROM search_postings ORDER BY term DESC").fetchall()
    con.execute("DELETE FROM search_postings")
    con.executemany("INSERT INTO search_postings VALUES (?, ?, ?, ?, ?)", rows)
    con.close()
    assert any("term order" in line for line in compare_search_tables.differences(a, b))
