"""Day-level behaviour: empty pages, duplicates within a day, identity across days, reruns, batches."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime
from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

from tests.transforms.api_pages import FETCHED_AT, page, paper_item
from transforms import (
    ListingFetch,
    ListingTables,
    build_listing_tables,
    build_listing_tables_for_days,
    table_schemas,
    vote_observations,
)

DAY = date(2025, 1, 2)
SAMPLE_API_DIR = Path(__file__).resolve().parents[2] / "hf_api" / "sample_days"
SCHEMAS = {
    "papers": table_schemas.PAPERS,
    "authors": table_schemas.AUTHORS,
    "paper_authors": table_schemas.PAPER_AUTHORS,
    "votes": table_schemas.VOTES,
    "submitters": table_schemas.SUBMITTERS,
    "organizations": table_schemas.ORGANIZATIONS,
    "quarantined": table_schemas.QUARANTINED,
}


def _assert_same_tables(left: ListingTables, right: ListingTables) -> None:
    for field in fields(ListingTables):
        a, b = getattr(left, field.name), getattr(right, field.name)
        if field.name in SCHEMAS:
            assert_frame_equal(a, b)
        else:
            assert a == b, field.name


def _fixture_fetches() -> list[ListingFetch]:
    return [
        ListingFetch(date.fromisoformat(path.stem.removeprefix("daily_papers_")), FETCHED_AT, [path.read_bytes()])
        for path in sorted(SAMPLE_API_DIR.glob("daily_papers_*.json"))
    ]


@pytest.mark.parametrize("pages", [[b"[]"], [b" [ ]\n"], []], ids=["empty-page", "spaced-empty-page", "no-pages"])
def test_empty_day_gives_empty_tables_with_the_table_schemas(pages):
    tables = build_listing_tables(pages, DAY, FETCHED_AT)
    for name, schema in SCHEMAS.items():
        frame = getattr(tables, name)
        assert frame.is_empty(), name
        assert frame.schema == schema, name
    assert (tables.raw_records, tables.duplicate_records) == (0, 0)


def test_empty_last_page_after_a_full_one():
    # paging ends with an empty page: it adds nothing and breaks nothing
    tables = build_listing_tables([page(paper_item("p1"), paper_item("p2")), b"[]"], DAY, FETCHED_AT)
    assert tables.papers["paper_id"].to_list() == ["p1", "p2"]


def test_duplicate_paper_within_a_day_keeps_the_first_record():
    pages = [
        page(paper_item("p1", upvotes=5), paper_item("p2", upvotes=4)),
        # p1 again on the next page (votes moved while paging): dropped, not counted twice
        page(paper_item("p1", upvotes=6)),
    ]
    tables = build_listing_tables(pages, DAY, FETCHED_AT)
    assert tables.papers.select("paper_id", "upvotes").rows() == [("p1", 5), ("p2", 4)]
    assert tables.votes.select("paper_id", "upvotes").rows() == [("p1", 5), ("p2", 4)]
    assert tables.paper_authors["paper_id"].to_list() == ["p1", "p2"]
    assert (tables.raw_records, tables.duplicate_records) == (2, 1)
    assert tables.quarantined.is_empty()


def test_same_author_id_on_two_days_despite_accents_and_case():
    day_one = build_listing_tables([page(paper_item("p1", authors=[{"name": "José Álvarez"}]))], DAY, FETCHED_AT)
    day_two = build_listing_tables([page(paper_item("p2", authors=[{"name": "JOSE ALVAREZ"}]))], date(2025, 1, 3), FETCHED_AT)
    assert day_one.authors["author_id"].to_list() == day_two.authors["author_id"].to_list()
    assert day_one.authors["name"].to_list() == ["José Álvarez"]  # each day keeps the name it printed
    assert day_two.authors["name"].to_list() == ["JOSE ALVAREZ"]


def test_claimed_author_keeps_one_id_across_name_variants():
    claimed = {"user": {"user": "ociepa"}, "status": "claimed_verified"}
    day_one = build_listing_tables([page(paper_item("p1", authors=[{"name": "Chris Ociepa", **claimed}]))], DAY, FETCHED_AT)
    day_two = build_listing_tables(
        [page(paper_item("p2", authors=[{"name": "Krzysztof Ociepa", **claimed}]))], date(2025, 1, 3), FETCHED_AT
    )
    assert day_one.authors["author_id"].to_list() == day_two.authors["author_id"].to_list()
    assert day_one.authors["hf_username"].to_list() == ["ociepa"]


def test_rerun_on_the_same_input_gives_identical_frames():
    for fetch in _fixture_fetches():
        first = build_listing_tables(fetch.pages, fetch.listing_date, fetch.fetched_at)
        second = build_listing_tables(fetch.pages, fetch.listing_date, fetch.fetched_at)
        _assert_same_tables(first, second)


def test_batch_of_days_equals_each_day_alone():
    fetches = [*_fixture_fetches(), ListingFetch(date(2025, 1, 4), FETCHED_AT, [b"[]"])]
    # one day with a quarantined record and a duplicate, so the split covers those tables too
    fetches.append(ListingFetch(DAY, FETCHED_AT, [page(paper_item("p1"), paper_item("p1"), {"paper": "bad"})]))
    batch = build_listing_tables_for_days(fetches)
    assert list(batch) == [fetch.listing_date for fetch in fetches]
    for fetch in fetches:
        _assert_same_tables(batch[fetch.listing_date], build_listing_tables(fetch.pages, fetch.listing_date, FETCHED_AT))
    assert (batch[DAY].raw_records, batch[DAY].duplicate_records, batch[DAY].quarantined.height) == (2, 1, 1)


def test_empty_batch():
    assert build_listing_tables_for_days([]) == {}


def test_batch_refuses_two_fetches_of_one_day():
    fetch = ListingFetch(DAY, FETCHED_AT, [b"[]"])
    with pytest.raises(ValueError, match=r"one fetch per listing date, got several for \[datetime.date\(2025, 1, 2\)\]"):
        build_listing_tables_for_days([fetch, fetch])


def test_vote_observations_equal_the_votes_table():
    for fetch in _fixture_fetches():
        tables = build_listing_tables(fetch.pages, fetch.listing_date, fetch.fetched_at)
        assert_frame_equal(vote_observations(fetch.pages, fetch.listing_date, fetch.fetched_at), tables.votes)


def test_naive_fetch_time_and_datetime_listing_date_are_refused():
    with pytest.raises(ValueError, match="fetched_at must be a timezone-aware datetime"):
        build_listing_tables([b"[]"], DAY, datetime(2025, 1, 2, 3, 4, 5))
    with pytest.raises(ValueError, match="listing_date must be a datetime.date"):
        build_listing_tables([b"[]"], datetime(2025, 1, 2), FETCHED_AT)
