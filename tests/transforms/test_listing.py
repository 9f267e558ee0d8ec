"""parse_listing on the real saved page: every entry, and the tricky ones pinned field by field."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from tests.conftest import SAMPLE_LISTING
from transforms.listing import LISTING_SCHEMA, parse_listing

# The page says "Dec 11" at the top; it was copied on 2025-12-11.
AS_OF = date(2025, 12, 11)


@pytest.fixture(scope="module")
def sample() -> pl.DataFrame:
    return parse_listing(SAMPLE_LISTING.read_text(), as_of=AS_OF, source_file="daily_papers_listing.txt")


def test_sample_page_has_every_entry(sample):
    # Counted by hand in the file: 53 "·" lines (each entry with metadata has one) plus 4 entries
    # with no metadata at all (D2E, BeyondWeb, MUG-V 10B, Thinking vs. Doing) = 57 papers.
    assert sample.height == 57
    assert sample["position"].to_list() == list(range(1, 58))
    assert sample.schema == LISTING_SCHEMA
    assert sample["source_file"].unique().to_list() == ["daily_papers_listing.txt"]
    assert sample["paper_id"].null_count() == 57


def test_sample_page_field_counts(sample):
    # By hand: 52 "• N authors" lines; 1 organisation line (HuggingFaceFW FineData, FineWeb2);
    # 53 date lines, 14 of them with an upvote count after the date; 10 of them without a year.
    assert sample["author_count"].is_not_null().sum() == 52
    assert sample["organization"].drop_nulls().to_list() == ["HuggingFaceFW FineData"]
    assert sample["listed_date"].is_not_null().sum() == 53
    assert sample["upvotes"].is_not_null().sum() == 14
    # Every title and abstract is read, and no abstract was taken for a title or vice versa.
    assert sample["abstract"].null_count() == 0
    assert sample["title"].str.len_chars().max() < 150
    assert sample["abstract"].str.len_chars().min() > 1000


def test_entries_without_metadata_are_kept_with_nulls(sample):
    bare = sample.filter(pl.col("listed_date").is_null())
    assert bare["position"].to_list() == [7, 31, 48, 54]
    assert bare["title"].str.slice(0, 10).to_list() == ["D2E: Scali", "BeyondWeb:", "MUG-V 10B:", "Thinking v"]
    assert bare.select("author_count", "upvotes", "organization").null_count().row(0) == (4, 4, 4)


def _pinned(sample: pl.DataFrame, positions: list[int]) -> pl.DataFrame:
    return sample.filter(pl.col("position").is_in(positions)).select(
        "position", "author_count", "listed_date", "upvotes", "organization"
    )


def test_tricky_entries_pinned(sample):
    expected = pl.DataFrame(
        [
            (1, 11, date(2023, 3, 1), None, None),  # "Mar 1, 2023": full date, no upvotes
            (8, 8, date(2025, 5, 9), 2, None),  # "May 9 2": year-less date then 2 upvotes
            (10, 7, date(2025, 6, 5), None, None),  # "Jun 5": year-less, no upvotes
            (12, 6, date(2024, 1, 29), 7, None),  # "Jan 29, 2024 7": upvotes after a full date
            (32, None, date(2025, 6, 25), 1, "HuggingFaceFW FineData"),  # organisation instead of authors
            (36, 6, date(2025, 12, 2), 3, None),  # "Dec 2 3": nine days before the page's Dec 11
            (47, 6, date(2025, 1, 3), None, None),  # "Jan 3": same year as the page, not the next
            (49, 42, date(2024, 12, 19), 11, None),  # two-digit upvotes: "Dec 19, 2024 11"
            (57, 4, date(2024, 3, 11), None, None),  # last entry: the text stops after its date
        ],
        schema={k: LISTING_SCHEMA[k] for k in ("position", "author_count", "listed_date", "upvotes", "organization")},
        orient="row",
    )
    assert_frame_equal(_pinned(sample, expected["position"].to_list()), expected)


def test_titles_and_abstracts_are_read_whole(sample):
    last = sample.row(56, named=True)
    assert last["title"] == "Unraveling the Mystery of Scaling Laws: Part I"
    assert last["abstract"].startswith("Scaling law principles indicate")
    assert last["abstract"].endswith("the complete test loss trajectory with arbitrary batch size.")
    assert sample.row(22, named=True)["title"] == (
        "URLBERT:A Contrastive and Adversarial Pre-trained Model for URL Classification"
    )


def test_page_date_year_comes_from_as_of(sample):
    # Copied a month later, across New Year: "Dec 11" is still 2025-12-11, so nothing moves.
    later = parse_listing(SAMPLE_LISTING.read_text(), as_of=date(2026, 1, 10), source_file="x")
    assert_frame_equal(later.drop("source_file"), sample.drop("source_file"))
    # One day before Dec 11, 2025 the page's "Dec 11" can only be 2024-12-11: year-less dates follow.
    earlier = parse_listing(SAMPLE_LISTING.read_text(), as_of=date(2025, 12, 10), source_file="x")
    assert _pinned(earlier, [36, 47])["listed_date"].to_list() == [date(2024, 12, 2), date(2024, 1, 3)]
    # Dates that print their year do not depend on as_of.
    assert _pinned(earlier, [12])["listed_date"].to_list() == [date(2024, 1, 29)]
