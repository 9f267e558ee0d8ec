"""parse_listing on small hand-made pages: year boundaries, cut-off copies, and text that is no listing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_series_equal

from transforms.listing import ListingFormatError, normalise_title, parse_listing

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "listings"
HEADER = "Get trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\nDec 11\n\n"
ENTRY = "A Paper\n\nIts abstract.\n\n  • 3 authors\n·\nMar 1, 2023 5\n\n"


def _parse(text: str, as_of: date = date(2025, 12, 11)) -> pl.DataFrame:
    return parse_listing(text, as_of=as_of, source_file="page.txt")


def test_year_less_dates_across_new_year():
    page = _parse((FIXTURES / "year_boundary.txt").read_text(), as_of=date(2025, 1, 20))
    # The page's "Jan 5" is 2025-01-05 (latest Jan 5 on or before as_of 2025-01-20), so:
    assert page.select("title", "author_count", "listed_date", "upvotes").rows() == [
        ("Late December Paper", 3, date(2024, 12, 30), None),  # Dec 30 after Jan 5: the year before
        ("Early January Paper", 1, date(2025, 1, 2), 4),  # "Jan 2 4": 4 upvotes, same year
        ("Leap Day Paper", 2, date(2024, 2, 29), None),  # 2025 has no Feb 29: the latest is 2024
    ]


def test_page_date_resolves_to_latest_on_or_before_as_of():
    # as_of Jan 4: "Jan 5" of 2025 is still ahead, so the page is 2024-01-05 and Dec 30 is 2023's;
    # Feb 29, 2024 comes after the page's day, so the leap day before it is 2020's.
    page = _parse((FIXTURES / "year_boundary.txt").read_text(), as_of=date(2025, 1, 4))
    assert page["listed_date"].to_list() == [date(2023, 12, 30), date(2024, 1, 2), date(2020, 2, 29)]


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        # Each tail is the last entry of a copy that stopped at a different point.
        ("Cut Paper", ("Cut Paper", None, None, None, None)),
        ("Cut Paper\n\nIts abstract, cut mid-senten", ("Cut Paper", "Its abstract, cut mid-senten", None, None, None)),
        ("Cut Paper\n\nAbstract.\n\n  • 4 authors", ("Cut Paper", "Abstract.", 4, None, None)),
        ("Cut Paper\n\nAbstract.\n\n  • 4 authors\n·", ("Cut Paper", "Abstract.", 4, None, None)),
        ("Cut Paper\n\nAbstract.\n\n  • 4 authors\n·\nMar 1, 20", ("Cut Paper", "Abstract.", 4, None, None)),
        ("Cut Paper\n\nAbstract.\n\n  • 4 authors\n·\nMa", ("Cut Paper", "Abstract.", 4, None, None)),
        ("Cut Paper\n\nAbstract.\n\n  • 4 authors\n·\nJun 5 ", ("Cut Paper", "Abstract.", 4, date(2025, 6, 5), None)),
    ],
)
def test_cut_off_last_entry_keeps_what_the_page_shows(tail, expected):
    page = _parse(HEADER + ENTRY + tail)
    assert page.height == 2
    assert page.row(0)[2:8] == ("A Paper", "Its abstract.", 3, date(2023, 3, 1), 5, None)
    last = page.row(1, named=True)
    assert (last["title"], last["abstract"], last["author_count"], last["listed_date"], last["upvotes"]) == expected


def test_authors_and_organisation_together_and_windows_newlines():
    text = HEADER + "Org Paper\n\nAbstract.\n\n  • 2 authors\nnvidia NVIDIA\n·\nJul 4, 2024 12\n"
    page = _parse(text.replace("\n", "\r\n"))
    assert page.select("author_count", "organization", "listed_date", "upvotes").row(0) == (
        2,
        "nvidia NVIDIA",
        date(2024, 7, 4),
        12,
    )


def test_header_only_page_has_no_entries():
    page = _parse(HEADER)
    assert page.height == 0
    assert page.schema["listed_date"] == pl.Date


@pytest.mark.parametrize(
    ("text", "line", "expected", "found"),
    [
        # A CSV of papers: its first line is neither page chrome nor the page's date.
        ((FIXTURES / "not_a_listing.txt").read_text(), 1, "the page header", "'paper_id,title,upvotes'"),
        # Nothing but blank lines: said so, not "the page header is missing".
        ("\n  \n", 1, "copied from the browser", "an empty file"),
        # HEADER takes lines 1-8, so entries start at line 9 (title), 11 (abstract), 13 (authors).
        # Header fine, but the first entry starts with a date where a title belongs.
        (HEADER + "Mar 1, 2023\n", 9, "a paper title", "'Mar 1, 2023'"),
        # "·" must be followed by the date.
        (HEADER + "T\n\nA.\n\n  • 3 authors\n·\nnot a date\n\nNext\n\nB.\n", 15, "a date line", "'not a date'"),
        # An author count with no "·" after it, in the middle of the page.
        (HEADER + "T\n\nA.\n\n  • 3 authors\n\nNext\n\nB.\n", 15, "'·' after the author count", "'Next'"),
        # A calendar day that does not exist.
        (HEADER + "T\n\nA.\n\n  • 3 authors\n·\nFeb 30, 2024\n", 15, "a real calendar day", "'Feb 30, 2024'"),
        # A paragraph where a title belongs: the entries are out of step.
        (HEADER + "T\n\nA.\n\n" + "word " * 100 + "\n", 13, "a paper title (one line", "(499 characters)"),
    ],
)
def test_not_a_listing_says_where_and_what(text, line, expected, found):
    with pytest.raises(ListingFormatError) as raised:
        _parse(text)
    error = raised.value
    assert error.line == line
    assert expected in error.expected
    assert found in error.found
    assert str(error).startswith(f"page.txt, line {line}: expected ")


def test_abstract_split_in_two_is_refused():
    with pytest.raises(ListingFormatError) as raised:
        _parse((FIXTURES / "split_abstract.txt").read_text())
    # The second paragraph is read as a title, so its "abstract" is the author line (line 11).
    assert raised.value.line == 11
    assert "the abstract of 'A second paragraph" in raised.value.expected
    assert raised.value.found == "'• 5 authors'"


def test_normalise_title_folds_case_whitespace_and_punctuation():
    titles = pl.Series(
        [
            "URLBERT:A Contrastive Model",  # page spelling: no space after the colon
            "URLBERT: A  contrastive model ",  # API spelling: space, double space, case, trailing blank
            "Qwen2.5 Technical Report",  # digits stay, the dot goes
            "Évaluer les modèles",  # accented letters are letters: kept, lowered
            '"rich AI" -- a survey',  # quotes and dashes go
        ]
    )
    folded = pl.select(normalise_title(pl.lit(titles))).to_series()
    expected = pl.Series(
        ["urlbertacontrastivemodel", "urlbertacontrastivemodel", "qwen25technicalreport", "évaluerlesmodèles", "richaiasurvey"]
    )
    assert_series_equal(folded, expected, check_names=False)
