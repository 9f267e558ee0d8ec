"""The entity page from one scan (dashboard/entity_keys.py): every answer taken from an entity's
keys equals the macro's (same rows, order, columns and types) for every author, organisation and
submitter of the seeded warehouse plus the old paper, the prolific author and papers tied on
upvotes and day; and the page asks for the keys once and runs none of the per-table macros."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from polars.testing import assert_frame_equal

from dashboard import entity_keys as ek
from dashboard.repository import WarehouseRepository
from tests.dashboard.apptest_helpers import open_page
from tests.dashboard.entity_seed import add_old_paper, add_prolific_author
from tests.dashboard.seed import publish_copy
from warehouse.author_papers import fill_author_keys, refresh_author_papers
from warehouse.db import connect_writer
from warehouse.derived import rebuild_derived_tables

TIE_DAY = date(2024, 11, 5)
# Three papers of Tia Tran listed the same day with the same upvotes (only the id orders them),
# one of them claimed by 'tie-lab' and submitted by 'tia', one co-author (Ann Li) on two of them.
TIES = [("2411.00003", "tie-lab", "tia"), ("2411.00001", None, None), ("2411.00002", "tie-lab", None)]


def add_ties(path):
    """Add TIES (see above) and rebuild what depends on papers, as the load does."""
    con = connect_writer(path)
    try:
        con.executemany(
            "INSERT INTO papers (paper_id, title, summary, listing_date, upvotes, organization, submitted_by, author_count) "
            "VALUES (?, 'Tied', 'Tied.', ?, 9, ?, ?, 2)",
            [(pid, TIE_DAY, org, by) for pid, org, by in TIES],
        )
        con.execute(
            "INSERT INTO authors (author_id, name, hf_username, identity_key) VALUES ('a-tia', 'Tia Tran', NULL, 'name:tia tran')"
        )
        con.executemany(
            "INSERT INTO paper_authors VALUES (?, ?, ?, ?, ?)",
            [(pid, "a-tia", 1, "Tia Tran", TIE_DAY) for pid, _, _ in TIES]
            + [(pid, "a-ann", 2, "Ann Li", TIE_DAY) for pid, _, _ in TIES[:2]],
        )
        refresh_author_papers(con)
        fill_author_keys(con)
        rebuild_derived_tables(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def entity_file(seeded_file, tmp_path_factory):
    """The seeded warehouse with the old paper, the prolific author and the tied papers."""
    path = tmp_path_factory.mktemp("entity_keys") / "warehouse.duckdb"
    shutil.copyfile(seeded_file, path)
    return add_ties(add_prolific_author(add_old_paper(path)))


@pytest.fixture
def keys_repo(papers_home, entity_file) -> WarehouseRepository:
    return WarehouseRepository(publish_copy(entity_file), remember=False)


def every_entity(repo) -> list[tuple[str, str]]:
    found = [("authors", a) for a in repo.frame("SELECT author_id FROM authors ORDER BY 1")["author_id"]]
    found += [("organizations", o) for o in repo.frame("SELECT DISTINCT organization AS o FROM papers WHERE o IS NOT NULL")["o"]]
    found += [("submitters", s) for s in repo.frame("SELECT DISTINCT submitted_by AS s FROM papers WHERE s IS NOT NULL")["s"]]
    return found + [("authors", "no-such-author"), ("organizations", "no-such-org"), ("submitters", "no-such-user")]


def test_answers_from_the_keys_are_the_macros_answers(keys_repo):
    entities = every_entity(keys_repo)
    assert len(entities) > 70 and ("authors", "a-tia") in entities and ("authors", "a-pia") in entities
    for kind, key in entities:
        keys = keys_repo.entity_keys(kind, key)
        old, new = keys_repo.entity_figures(kind, key), keys_repo.entity_figures(kind, key, keys=keys)
        assert new == old and list(map(type, new.values())) == list(map(type, old.values())), (kind, key)
        assert new["papers"] == keys.height
        assert_frame_equal(keys_repo.entity_months(kind, key, keys=keys), keys_repo.entity_months(kind, key))
        for limit, offset in [(2, 0), (2, 2), (2, 4), (50, 0), (50, 50)]:
            assert_frame_equal(
                keys_repo.entity_papers_page(kind, key, limit, offset, keys=keys),
                keys_repo.entity_papers_page(kind, key, limit, offset),
            )
        for limit in (1, 2, 100, None):
            assert_frame_equal(keys_repo.entity_related(kind, key, limit, keys=keys), keys_repo.entity_related(kind, key, limit))
        for limit, offset, latest in [(2, 0, 1), (2, 2, 3), (50, 0, 500), (1, 1, None), (50, 50, 500)]:
            assert_frame_equal(
                keys_repo.entity_people_page(kind, key, limit, offset, latest, keys=keys),
                keys_repo.entity_people_page(kind, key, limit, offset, latest),
            )


def test_ties_are_ordered_as_the_macros_order_them(keys_repo):
    keys = keys_repo.entity_keys("authors", "a-tia")
    # one day, one upvote count: the id alone orders the papers, ascending; the latest by id descending
    assert keys_repo.entity_papers_page("authors", "a-tia", 3, keys=keys)["paper_id"].to_list() == [
        "2411.00001",
        "2411.00002",
        "2411.00003",
    ]
    assert ek.latest(keys, 2)["paper_id"].to_list() == ["2411.00003", "2411.00002"]
    # Ann is on 2411.00001 and 2411.00002: on the latest two papers she shares one with Tia
    people = keys_repo.entity_people_page("authors", "a-tia", 50, 0, 2, keys=keys)
    assert people.select("author_id", "papers", "people").rows() == [("a-ann", 1, 1)]
    assert keys_repo.entity_related("authors", "a-tia", 10, keys=keys).select("value", "papers").rows() == [("tie-lab", 2)]


def test_the_entity_page_finds_the_papers_once_and_runs_no_per_table_macro(papers_home, entity_file, monkeypatch):
    publish_copy(entity_file)
    ran: list[str] = []
    frame = WarehouseRepository.frame

    def recording(self, sql, params=None):
        ran.append(sql)
        return frame(self, sql, params)

    monkeypatch.setattr(WarehouseRepository, "frame", recording)
    at = open_page("author", id="a-ann")
    assert not at.exception
    assert ran.count(ek.KEYS_SQL["authors"]) == 1
    assert ek.PEOPLE_SQL in ran and ek.PAPERS_BY_ID_SQL in ran
    macros = ("entity_figures(", "entity_months(", "entity_papers_ranked(", "entity_papers_by(", "people_on_latest(")
    assert not [sql for sql in ran if any(m in sql for m in macros)]
