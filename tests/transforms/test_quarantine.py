"""Records that cannot be read are quarantined with a reason; the rest of the day loads."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tests.transforms.api_pages import FETCHED_AT, FETCHED_AT_UTC, page, paper_item
from transforms import ListingPageError, build_listing_tables, table_schemas, vote_observations

DAY = date(2025, 1, 2)


def _with_paper(paper_id: str, **changes: object) -> dict:
    item = paper_item(paper_id)
    item["paper"].update(changes)
    return item


def _without(paper_id: str, key: str) -> dict:
    item = paper_item(paper_id)
    del item["paper"][key]
    return item


# (record, reason) pairs: each record is wrong in one way the API could plausibly send.
BAD_RECORDS = [
    (_with_paper("p-abc", upvotes="abc"), "paper.upvotes: expected integer, got string 'abc'"),
    (_with_paper("p-float", upvotes=12.5), "paper.upvotes: expected integer, got number 12.5"),  # Polars would truncate
    (_with_paper("p-bool", upvotes=True), "paper.upvotes: expected integer, got boolean true"),  # Polars would read 1
    (_with_paper("p-big", upvotes=3_000_000_000), "paper.upvotes: 3000000000 is out of range for a 32-bit integer"),
    (_with_paper(2405.1000), "paper.id: expected string, got number 2405.1"),  # would lose the id's trailing zeros
    ({"paper": "2405.00001", "numComments": 0}, "paper: expected object, got string '2405.00001'"),
    (5, "record: expected object, got number 5"),
    ({"title": "no paper at all"}, "paper: missing or null"),
    (_without("p-noid", "id"), "paper.id: missing"),
    (_without("p-noup", "upvotes"), "paper.upvotes: missing"),
    (
        _with_paper("p-date", publishedAt="yesterday"),
        "paper.publishedAt: expected a UTC timestamp like 2024-05-24T17:34:15.000Z, got 'yesterday'",
    ),
    (_with_paper("p-author", authors=[{"name": "Ann Lee"}, {"_id": "x"}]), "paper.authors[1].name: missing or empty"),
    (_with_paper("p-authors", authors="Ann Lee"), "paper.authors: expected array, got string 'Ann Lee'"),
    (_with_paper("p-name", authors=[{"name": 7}]), "paper.authors[0].name: expected string, got number 7"),
]


def _title_missing() -> dict:
    # both the paper title and the item-level copy are absent
    item = _without("p-notitle", "title")
    del item["title"]
    return item


BAD_RECORDS.append((_title_missing(), "paper.title: missing"))


@pytest.mark.parametrize(("record", "reason"), BAD_RECORDS, ids=[reason.split(":")[0] for _, reason in BAD_RECORDS])
def test_bad_record_is_quarantined_and_the_day_still_loads(record, reason):
    # a good record on each side of the bad one, the second on another page
    pages = [page(paper_item("good-1"), record), page(paper_item("good-2"))]
    tables = build_listing_tables(pages, DAY, FETCHED_AT)
    assert tables.papers["paper_id"].to_list() == ["good-1", "good-2"]
    assert tables.paper_authors["paper_id"].to_list() == ["good-1", "good-2"]
    assert tables.quarantined["reason"].to_list() == [reason]
    assert tables.quarantined["record_index"].to_list() == [1]
    assert json.loads(tables.quarantined["raw_record"].item()) == record
    assert tables.raw_records == 3


def test_quarantine_row_is_complete_and_raw_record_verbatim():
    # the page text keeps its own spacing: raw_record is copied, not re-serialised
    bad = b'{"paper": {"id": "p-abc",   "upvotes": "abc", "title": "T", "authors": []}}'
    pages = [page(paper_item("good-1")), b"[" + bad + b", " + page(paper_item("good-2"))[1:]]
    tables = build_listing_tables(pages, DAY, FETCHED_AT)
    expected = pl.DataFrame(
        {
            "listing_date": [DAY],
            "fetched_at": [FETCHED_AT_UTC],
            "record_index": [1],  # 0-based across the day's pages: second page, first record
            "paper_id": ["p-abc"],
            "reason": ["paper.upvotes: expected integer, got string 'abc'"],
            "raw_record": [bad.decode()],
        },
        schema=table_schemas.QUARANTINED,
    )
    assert_frame_equal(tables.quarantined, expected)


def test_rule_failures_and_type_failures_together_in_record_order():
    pages = [
        page(
            _without("p-noup", "upvotes"),  # rule failure (found after reading)
            paper_item("good-1"),
            _with_paper("p-abc", upvotes="abc"),  # type failure (found while reading)
        )
    ]
    tables = build_listing_tables(pages, DAY, FETCHED_AT)
    assert tables.quarantined.select("record_index", "paper_id").rows() == [(0, "p-noup"), (2, "p-abc")]
    assert tables.raw_records == 3


def test_every_record_bad():
    tables = build_listing_tables([page(5, "x")], DAY, FETCHED_AT)
    assert tables.papers.is_empty() and tables.paper_authors.is_empty()
    assert tables.quarantined["reason"].to_list() == [
        "record: expected object, got number 5",
        "record: expected object, got string 'x'",
    ]
    assert tables.raw_records == 2


def test_vote_observations_need_only_id_and_counts():
    # missing title: not a paper row, but its vote count is still a fact
    tables = build_listing_tables([page(paper_item("good-1"), _title_missing())], DAY, FETCHED_AT)
    votes = vote_observations([page(paper_item("good-1"), _title_missing())], DAY, FETCHED_AT)
    assert tables.votes["paper_id"].to_list() == ["good-1"]
    assert votes["paper_id"].to_list() == ["good-1", "p-notitle"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"error": "Invalid date"}', "page 1: expected a JSON array of items"),  # an error body, not a listing
        (b'[{"paper": {"id": "x"}}', "page 1: expected ',' or ']' after record 0"),  # truncated download
        (b"\xff\xfe[]", "page 1: not UTF-8 text"),
        (b"", "page 1: expected a JSON array of items"),
    ],
)
def test_unreadable_page_raises_naming_the_page(body, message):
    with pytest.raises(ListingPageError, match=message.replace("[", r"\[").replace("]", r"\]")):
        build_listing_tables([page(paper_item("good-1")), body], DAY, FETCHED_AT)
