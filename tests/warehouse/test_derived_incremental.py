"""update_derived_tables keeps the search index exactly as a full build would make it, touching
only the papers that are new, gone or edited; similar papers are exact after a whole computation
and sensible in between."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from bench.generate import DayGenerator
from tests.warehouse.conftest import HandMadeWarehouse, paper
from warehouse import derived, similar as similar_module
from warehouse.db import connect_lake_writer, scalar
from warehouse.paths import DuckLakeLocation

DAYS = [date(2025, 3, 3), date(2025, 3, 4), date(2025, 3, 5)]
QUERIES = ["language model reasoning", "diffusion", "quokka", "video generation benchmark"]


def generated_papers(day: date, count: int, seed: int) -> list[dict]:
    return [
        paper(item["paper"]["id"], day, item["paper"]["upvotes"], title=item["paper"]["title"], summary=item["paper"]["summary"])
        for item in DayGenerator(count, seed=seed).items(day)
    ]


def papers_of(warehouse: HandMadeWarehouse) -> list[dict]:
    return warehouse.rows("SELECT paper_id, title, summary, listing_date, upvotes, author_count FROM papers ORDER BY paper_id")


def mutate(warehouse: HandMadeWarehouse, new: list[dict], edited_title: str, edited_abstract: str, removed: list[str]) -> None:
    """New papers, one title and one abstract edited, some papers removed: what re-fetches do."""
    warehouse.insert("papers", new)
    con = warehouse.con
    con.execute("UPDATE papers SET title = 'Quokka quokka detection in the wild' WHERE paper_id = ?", [edited_title])
    con.execute("UPDATE papers SET summary = 'We study quokka habitats with drones.' WHERE paper_id = ?", [edited_abstract])
    warehouse.con.execute("DELETE FROM papers WHERE paper_id = ANY(?)", [removed])


def built_whole(papers: list[dict]) -> HandMadeWarehouse:
    warehouse = HandMadeWarehouse()
    warehouse.insert("papers", papers)
    derived.rebuild_derived_tables(warehouse.con)
    return warehouse


def search_tables(con) -> dict[str, list[tuple]]:
    """Every stored search table and the view, with paper_key left out (it numbers papers in the
    order they were first indexed), sorted."""
    return {
        "search_postings": con.execute(
            "SELECT term, paper_id, tf, length FROM search_postings "
            "WHERE paper_key NOT IN (SELECT paper_key FROM search_dead_keys) ORDER BY ALL"
        ).fetchall(),
        "search_documents": con.execute("SELECT paper_id, length, text_hash FROM search_documents ORDER BY ALL").fetchall(),
        "search_terms": con.execute("SELECT * FROM search_terms ORDER BY ALL").fetchall(),
        "search_stats": con.execute("SELECT format_version, papers, total_length FROM search_stats").fetchall(),
        "search_index": con.execute("SELECT term, paper_id, score FROM search_index ORDER BY ALL").fetchall(),
    }


def assert_same_searches(con, other) -> None:
    """search_papers() gives the same rows in the same order; the scores are sums of the same
    BM25 values, added in the order DuckDB reads them, so they may differ in the last bits."""
    for query in QUERIES:
        found, expected = (c.sql("SELECT * FROM search_papers(?)", params=[query]).pl() for c in (con, other))
        assert found.drop("score").rows() == expected.drop("score").rows(), query
        assert found["score"].to_list() == pytest.approx(expected["score"].to_list(), rel=1e-12), query


def similar_tables(con) -> dict[str, list[tuple]]:
    return {
        "similar_papers": con.execute("SELECT * FROM similar_papers ORDER BY paper_id, rank").fetchall(),
        "similar_postings": con.execute("SELECT * FROM similar_postings ORDER BY paper_id, term").fetchall(),
    }


def assert_same_similar(con, other) -> None:
    """The same neighbours and pruned vectors; weights are sums of squares added in the order DuckDB
    reads them (from the work table on a full build, from search_postings otherwise): last bits."""
    found, expected = similar_tables(con), similar_tables(other)
    for table in found:
        assert [row[:-1] for row in found[table]] == [row[:-1] for row in expected[table]], table
        assert [row[-1] for row in found[table]] == pytest.approx([row[-1] for row in expected[table]], rel=1e-12), table


def assert_keys_consistent(con) -> None:
    """Every posting carries its document's key, and keys are unique."""
    assert scalar(con, "SELECT count(*) - count(DISTINCT paper_key) FROM search_documents") == 0
    live = "SELECT * FROM search_postings WHERE paper_key NOT IN (SELECT paper_key FROM search_dead_keys)"
    mismatched = f"SELECT count(*) FROM ({live}) p JOIN search_documents d USING (paper_id) WHERE p.paper_key <> d.paper_key"
    assert scalar(con, mismatched) == 0
    assert scalar(con, f"SELECT count(*) FROM ({live}) WHERE paper_id NOT IN (SELECT paper_id FROM search_documents)") == 0
    # a dead key is no live paper's
    assert scalar(con, "SELECT count(*) FROM search_documents WHERE paper_key IN (SELECT paper_key FROM search_dead_keys)") == 0


@pytest.fixture
def start():
    """120 generated papers over three days, indexed whole."""
    warehouse = built_whole([p for i, day in enumerate(DAYS) for p in generated_papers(day, 40, seed=i)])
    yield warehouse
    warehouse.con.close()


def test_an_update_after_new_edited_and_removed_papers_equals_a_full_build(start):
    ids = [row["paper_id"] for row in papers_of(start)]
    new = generated_papers(date(2025, 3, 6), 8, seed=9) + [paper("9999.00001", date(2025, 3, 6), title="", summary=None)]
    mutate(start, new, edited_title=ids[3], edited_abstract=ids[50], removed=[ids[7], ids[80]])

    update = derived.update_derived_tables(start.con)

    assert (update.search, update.changed_papers) == ("incremental", len(new) + 4)
    # the count reported (a sum of df) is the view's rows, dead postings left out
    assert scalar(start.con, "SELECT count(*) FROM search_dead_keys") > 0
    assert update.counts["search_index"] == scalar(start.con, "SELECT count(*) FROM search_index")
    whole = built_whole(papers_of(start))
    assert search_tables(start.con) == search_tables(whole.con)
    assert_same_searches(start.con, whole.con)
    assert_keys_consistent(start.con)
    assert scalar(start.con, "SELECT count(*) FROM search_documents WHERE length = 0") == 1  # the paper with no terms
    assert scalar(start.con, "SELECT count(*) FROM search_papers('quokka')") == 2  # both edits are found


def test_two_updates_in_a_row_still_equal_a_full_build(start):
    ids = [row["paper_id"] for row in papers_of(start)]
    mutate(start, generated_papers(date(2025, 3, 6), 5, seed=11), edited_title=ids[10], edited_abstract=ids[11], removed=[ids[0]])
    derived.update_derived_tables(start.con)
    # the second round removes a paper added by the first and edits one edited by the first
    ids = [row["paper_id"] for row in papers_of(start)]
    added = generated_papers(date(2025, 3, 7), 5, seed=12)
    mutate(start, added, edited_title=ids[10], edited_abstract=ids[20], removed=[ids[-1], ids[30]])
    assert derived.update_derived_tables(start.con).search == "incremental"
    whole = built_whole(papers_of(start))
    assert search_tables(start.con) == search_tables(whole.con)
    assert_same_searches(start.con, whole.con)
    assert_keys_consistent(start.con)


def test_nothing_changed_leaves_every_table_as_it_was(start):
    before = search_tables(start.con), similar_tables(start.con)
    update = derived.update_derived_tables(start.con)
    assert (update.search, update.similar, update.changed_papers) == ("unchanged", "unchanged", 0)
    assert (search_tables(start.con), similar_tables(start.con)) == before


def test_an_upvote_change_is_not_an_edit(start):
    start.con.execute("UPDATE papers SET upvotes = upvotes + 7")
    assert derived.update_derived_tables(start.con).search == "unchanged"


def test_most_papers_changed_means_a_full_build(start, monkeypatch):
    monkeypatch.setattr(derived, "FULL_BUILD_SHARE", 0.05)
    mutate(start, generated_papers(date(2025, 3, 6), 10, seed=9), edited_title="none", edited_abstract="none", removed=[])
    assert derived.update_derived_tables(start.con).search == "full"


@pytest.mark.parametrize(
    ("module", "share", "value", "new_papers", "built_whole"),
    [
        (derived, "FULL_BUILD_SHARE", 0.05, 10, "search"),  # most papers changed: the index whole
        (similar_module, "SIMILAR_FULL_SHARE", 0.0, 5, "similar"),  # similar papers due whole
    ],
)
def test_a_load_run_defers_a_due_full_build_and_changes_nothing(
    start, monkeypatch, module, share, value, new_papers, built_whole
):
    monkeypatch.setattr(module, share, value)
    papers = generated_papers(date(2025, 3, 6), new_papers, seed=9)
    mutate(start, papers, edited_title="none", edited_abstract="none", removed=[])
    before = search_tables(start.con), similar_tables(start.con)
    assert derived.update_derived_tables(start.con, allow_full_build=False) == derived.DEFERRED
    assert (search_tables(start.con), similar_tables(start.con)) == before
    # the search step still builds it
    assert getattr(derived.update_derived_tables(start.con), built_whole) == "full"


def test_a_load_run_updates_a_few_new_papers_as_the_search_step_would(start):
    mutate(start, generated_papers(date(2025, 3, 6), 5, seed=9), edited_title="none", edited_abstract="none", removed=[])
    update = derived.update_derived_tables(start.con, allow_full_build=False)
    assert (update.search, update.similar, update.changed_papers) == ("incremental", "incremental", 5)
    assert search_tables(start.con) == search_tables(built_whole(papers_of(start)).con)


def test_a_load_run_on_a_never_indexed_warehouse_leaves_the_first_build(hand_warehouse):
    hand_warehouse.insert("papers", generated_papers(DAYS[0], 10, seed=1))
    assert derived.update_derived_tables(hand_warehouse.con, allow_full_build=False) == derived.DEFERRED
    assert scalar(hand_warehouse.con, "SELECT count(*) FROM search_stats") == 0


def loaded(warehouse: HandMadeWarehouse, days: list[date], at: str) -> None:
    """Record loads of `days` at `at`, as the load does for the days it replaced."""
    for day in days:
        warehouse.con.execute("DELETE FROM partition_loads WHERE listing_date = ?", [day])
        warehouse.insert(
            "partition_loads",
            [
                {
                    "listing_date": day,
                    "fetched_at": at,
                    "fetch_count": 1,
                    "raw_records": 0,
                    "loaded_papers": 0,
                    "quarantined": 0,
                    "loaded_at": at,
                }
            ],
        )


@pytest.fixture
def loaded_start(hand_warehouse):
    """The 120 papers of `start`, their days loaded at 08:00, indexed whole."""
    hand_warehouse.insert("papers", [p for i, day in enumerate(DAYS) for p in generated_papers(day, 40, seed=i)])
    loaded(hand_warehouse, DAYS, "2025-03-06 08:00:00")
    derived.rebuild_derived_tables(hand_warehouse.con)
    return hand_warehouse


def test_a_load_run_looks_for_edits_on_its_own_days_only_when_they_alone_were_loaded(loaded_start):
    ids = {
        day: [r["paper_id"] for r in loaded_start.rows("SELECT paper_id FROM papers WHERE listing_date = ? ORDER BY 1", [day])]
        for day in DAYS
    }
    new = generated_papers(date(2025, 3, 6), 4, seed=9)
    mutate(loaded_start, new, edited_title=ids[DAYS[2]][0], edited_abstract=ids[DAYS[2]][1], removed=[ids[DAYS[0]][0]])
    # an edit on a day this load did not replace, without a load of that day: only a load
    # changes a paper's text, so the narrowed search does not look there
    loaded_start.con.execute("UPDATE papers SET title = 'Quokka census' WHERE paper_id = ?", [ids[DAYS[1]][0]])
    loaded(loaded_start, [DAYS[2], date(2025, 3, 6)], "2025-03-07 08:00:00")

    update = derived.update_derived_tables(loaded_start.con, loaded_days=[DAYS[2], date(2025, 3, 6)])

    # the 4 new papers, the two edits of DAYS[2], the paper removed from DAYS[0] (found anywhere)
    assert (update.search, update.changed_papers) == ("incremental", 7)
    assert scalar(loaded_start.con, "SELECT count(*) FROM search_papers('quokka')") == 2

    # a later load of DAYS[1] (its day loaded after the index's newest): found again, whichever days are named
    loaded(loaded_start, [DAYS[1]], "2025-03-08 08:00:00")
    update = derived.update_derived_tables(loaded_start.con, loaded_days=[DAYS[2]])
    assert (update.search, update.changed_papers) == ("incremental", 1)
    whole = built_whole(papers_of(loaded_start))
    assert search_tables(loaded_start.con) == search_tables(whole.con)
    assert_keys_consistent(loaded_start.con)


def test_the_search_step_after_a_load_run_that_indexed_its_days_finds_nothing_without_hashing(loaded_start):
    new = generated_papers(date(2025, 3, 6), 4, seed=9)
    loaded_start.insert("papers", new)
    loaded(loaded_start, [date(2025, 3, 6)], "2025-03-07 08:00:00")
    assert derived.update_derived_tables(loaded_start.con, loaded_days=[date(2025, 3, 6)]).changed_papers == 4
    # no load since: nothing to look at but gone papers (by id); a paper removed is still found
    loaded_start.con.execute("DELETE FROM papers WHERE paper_id = ?", [new[0]["paper_id"]])
    update = derived.update_derived_tables(loaded_start.con, loaded_days=[])
    assert (update.search, update.changed_papers) == ("incremental", 1)
    assert derived.update_derived_tables(loaded_start.con, loaded_days=[]).search == "unchanged"
    assert search_tables(loaded_start.con) == search_tables(built_whole(papers_of(loaded_start)).con)


def test_a_new_format_version_means_a_full_build(start, monkeypatch):
    monkeypatch.setattr(derived, "FORMAT_VERSION", derived.FORMAT_VERSION + 1)
    update = derived.update_derived_tables(start.con)
    assert (update.search, update.similar) == ("full", "full")
    assert scalar(start.con, "SELECT format_version FROM search_stats") == derived.FORMAT_VERSION


def test_an_empty_warehouse_indexes_nothing_and_then_its_first_papers(hand_warehouse):
    assert derived.update_derived_tables(hand_warehouse.con).counts == {"search_index": 0, "similar_papers": 0}
    hand_warehouse.insert("papers", generated_papers(DAYS[0], 10, seed=1))
    update = derived.update_derived_tables(hand_warehouse.con)
    assert update.search == "full" and update.counts["search_index"] > 0


def test_similar_papers_are_computed_whole_once_changes_pass_the_share(start, monkeypatch):
    monkeypatch.setattr(similar_module, "SIMILAR_FULL_SHARE", 0.0)
    ids = [row["paper_id"] for row in papers_of(start)]
    mutate(start, generated_papers(date(2025, 3, 6), 5, seed=9), edited_title=ids[3], edited_abstract=ids[50], removed=[ids[7]])
    update = derived.update_derived_tables(start.con)
    assert (update.search, update.similar) == ("incremental", "full")
    whole = built_whole(papers_of(start))
    assert_same_similar(start.con, whole.con)
    assert similar_tables(start.con)["similar_papers"]
    assert scalar(start.con, "SELECT similar_changed_papers FROM search_stats") == 0


def test_between_whole_computations_new_papers_get_neighbours_and_gone_ones_leave(start):
    ids = [row["paper_id"] for row in papers_of(start)]
    twin = start.rows("SELECT title, summary FROM papers WHERE paper_id = ?", [ids[5]])[0]
    new = [paper("9999.00002", date(2025, 3, 6), title=twin["title"], summary=twin["summary"])]  # ids[5]'s text again
    listing = start.rows("SELECT paper_id FROM similar_papers WHERE similar_paper_id = ?", [ids[9]])
    listing_removed = [r["paper_id"] for r in listing]
    assert listing_removed, "the removed paper was someone's neighbour"
    mutate(start, new, edited_title=ids[3], edited_abstract="none", removed=[ids[9]])

    update = derived.update_derived_tables(start.con)

    assert (update.search, update.similar) == ("incremental", "incremental")
    neighbours = start.rows("SELECT similar_paper_id, score FROM similar_papers WHERE paper_id = '9999.00002' ORDER BY rank")
    # the twin's stored vector left out its words in no other paper then: a cosine below 1, still the best
    assert neighbours[0]["similar_paper_id"] == ids[5] and neighbours[0]["score"] > 2 * neighbours[1]["score"]
    assert scalar(start.con, "SELECT count(*) FROM similar_papers WHERE ? IN (paper_id, similar_paper_id)", [ids[9]]) == 0
    for paper_id in listing_removed:  # scored again against the stored vectors: a full list
        ranks = [r["rank"] for r in start.rows("SELECT rank FROM similar_papers WHERE paper_id = ? ORDER BY rank", [paper_id])]
        assert ranks == list(range(1, len(ranks) + 1)) and len(ranks) == similar_module.SIMILAR_PER_PAPER
    # the edited paper's new title ('quokka') is in no one else's: it keeps neighbours by its abstract
    assert scalar(start.con, "SELECT count(*) FROM similar_papers WHERE paper_id = ?", [ids[3]]) > 0
    assert scalar(start.con, "SELECT count(*) FROM similar_papers WHERE paper_id NOT IN (SELECT paper_id FROM papers)") == 0
    assert scalar(start.con, "SELECT similar_changed_papers FROM search_stats") == update.changed_papers
    assert scalar(start.con, "SELECT max(c) FROM (SELECT count(*) AS c FROM similar_postings GROUP BY term)") <= (
        similar_module.PAPERS_PER_TERM
    )


def test_on_ducklake_an_update_equals_a_full_build_too(tmp_path):
    # DuckLake (warehouse/ducklake.py) has no keys and its own UPDATE and DELETE: the deltas must work there
    lake = connect_lake_writer(DuckLakeLocation(catalog=str(tmp_path / "catalog.ducklake"), data_path=str(tmp_path / "data")))
    try:
        rows = pl.DataFrame([p for i, day in enumerate(DAYS) for p in generated_papers(day, 20, seed=i)])  # noqa: F841 - read by the statement below
        lake.execute("INSERT INTO papers BY NAME SELECT * FROM rows")
        assert derived.update_derived_tables(lake).search == "full"
        ids = [row[0] for row in lake.execute("SELECT paper_id FROM papers ORDER BY paper_id").fetchall()]
        new = pl.DataFrame(generated_papers(date(2025, 3, 6), 4, seed=9))  # noqa: F841 - read by the statement below
        lake.execute("INSERT INTO papers BY NAME SELECT * FROM new")
        lake.execute("UPDATE papers SET summary = 'We study quokka habitats.' WHERE paper_id = ?", [ids[4]])
        lake.execute("DELETE FROM papers WHERE paper_id = ?", [ids[9]])
        assert derived.update_derived_tables(lake).search == "incremental"
        final = lake.execute("SELECT * FROM papers").pl()  # noqa: F841 - read by the statement below
        on_lake = search_tables(lake)
    finally:
        lake.close()
    whole = HandMadeWarehouse()
    whole.con.execute("INSERT INTO papers SELECT * FROM final")
    derived.rebuild_derived_tables(whole.con)
    assert on_lake == search_tables(whole.con)
