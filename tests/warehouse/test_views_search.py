"""text_terms() and search_papers() over an index built by rebuild_derived_tables."""

from __future__ import annotations

import math
from datetime import date

import pytest

from tests.warehouse.conftest import paper
from warehouse.derived import paper_tokens, rebuild_derived_tables

DAY = date(2025, 1, 22)


def terms(warehouse, text):
    return warehouse.rows("SELECT text_terms(?) AS t", [text])[0]["t"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Large-Language MODELS", ["large", "language", "model"]),  # case, hyphen, plural
        ("studies of images and the loss", ["study", "image", "loss"]),  # ies -> y, es -> e; ss kept
        ("corpus GPT-4o 7B x", ["corpus", "gpt", "4o", "7b"]),  # 'us' kept; 1-letter dropped
        ("bias", ["bia"]),  # the S-stemmer is crude, but a query is folded the same way
        ("Jégou & Łukasz", ["jegou", "lukasz"]),  # accents and ł folded
        ("ÆTHER Straße ØRSTED", ["aether", "strasse", "orsted"]),  # capitals fold by hand too
        ("Đorđe Yıldız", ["dorde", "yildiz"]),  # đ and ı folded by hand
        ("Café naïve", ["cafe", "naive"]),  # accents only: no letter folded by hand
        ("the of and is", []),  # stop words only
        (None, []),  # a paper without abstract
    ],
)
def test_text_terms(hand_warehouse, text, expected):
    assert terms(hand_warehouse, text) == expected


@pytest.fixture
def two_papers(hand_warehouse):
    hand_warehouse.insert(
        "papers",
        [
            paper("t1", DAY, 5, title="Alpha", summary="beta"),  # alpha in the title (counts 3)
            paper("t2", DAY, 9, title="Gamma", summary="alpha"),  # alpha in the abstract only
        ],
    )
    rebuild_derived_tables(hand_warehouse.con)
    return hand_warehouse


def test_search_scores_by_hand(two_papers):
    rows = two_papers.rows("SELECT paper_id, score, matched_terms FROM search_papers('alpha beta')")
    # Weighted lengths: t1 alpha 3 + beta 1 = 4, t2 gamma 3 + alpha 1 = 4; mean 4, so the BM25
    # length factor is 1 for both. idf(alpha, df 2 of 2) = ln 1.2, idf(beta, df 1) = ln 2.
    t1 = math.log(1.2) * 3 * 2.2 / (3 + 1.2) + math.log(2) * 1 * 2.2 / (1 + 1.2)
    t2 = math.log(1.2) * 1 * 2.2 / (1 + 1.2)
    assert rows == [
        {"paper_id": "t1", "score": pytest.approx(t1), "matched_terms": 2},
        {"paper_id": "t2", "score": pytest.approx(t2), "matched_terms": 1},
    ]


def test_repeated_query_words_count_once(two_papers):
    once = two_papers.rows("SELECT paper_id, score FROM search_papers('alpha')")
    twice = two_papers.rows("SELECT paper_id, score FROM search_papers('Alpha ALPHA alpha')")
    assert once == twice


def test_a_query_without_usable_terms_finds_nothing(two_papers):
    assert two_papers.rows("SELECT * FROM search_papers('the of')") == []
    assert two_papers.rows("SELECT * FROM search_papers('')") == []
    assert two_papers.rows("SELECT * FROM search_papers('delta')") == []


@pytest.fixture
def video_papers(hand_warehouse):
    hand_warehouse.insert(
        "papers",
        [
            paper("v1", DAY, 1, title="Diffusion Models for Video Generation", summary="We study video diffusion."),
            paper("v2", DAY, 50, title="Language Models", summary="A video appears in this abstract once."),
            paper("v3", DAY, 3, title="Graph networks", summary="Nothing about the query."),
            paper("v4", DAY, 2, title="Video tokenizers", summary=None),  # no abstract at all
        ],
    )
    rebuild_derived_tables(hand_warehouse.con)
    return hand_warehouse


def test_title_matches_rank_above_abstract_matches(video_papers):
    rows = video_papers.rows("SELECT paper_id FROM search_papers('videos')")  # plural folds to 'video'
    # v1 and v4 have video in the title; v2 only in the abstract, despite 50 upvotes; v3 never.
    assert [r["paper_id"] for r in rows][-1] == "v2"
    assert {r["paper_id"] for r in rows} == {"v1", "v2", "v4"}


def test_search_returns_listing_fields(video_papers):
    row = video_papers.rows("SELECT * FROM search_papers('graph')")[0]
    assert {k: row[k] for k in ("paper_id", "title", "listing_date", "upvotes")} == {
        "paper_id": "v3",
        "title": "Graph networks",
        "listing_date": DAY,
        "upvotes": 3,
    }


def test_the_index_build_splits_text_exactly_like_text_terms(hand_warehouse):
    # derived.py applies the text_terms() rule column-wise for speed; both must agree on
    # stop words, short tokens, stemming, accents and a missing abstract.
    hand_warehouse.insert(
        "papers",
        [
            paper("e1", DAY, title="The Studies of Images", summary="A corpus; biases: x, GPT-4o and Jégou's loss."),
            paper("e2", DAY, title="Ÿ Łódź æther straße", summary=None),
            paper("e3", DAY, title="of the and", summary="is it"),  # nothing but stop words
        ],
    )
    from_build = sorted(paper_tokens(hand_warehouse.con).rows())
    from_macro = sorted(
        tuple(r.values())
        for r in hand_warehouse.rows("""
        SELECT paper_id, term, count(*) FILTER (WHERE field = 'title') AS t,
               count(*) FILTER (WHERE field = 'abstract') AS a
        FROM (SELECT paper_id, 'title' AS field, unnest(text_terms(title)) AS term FROM papers
              UNION ALL
              SELECT paper_id, 'abstract', unnest(text_terms(summary)) FROM papers)
        GROUP BY ALL""")
    )
    assert from_build == from_macro
    assert ("e1", "study", 1, 0) in from_build and ("e2", "lodz", 1, 0) in from_build


@pytest.fixture
def tied_papers(hand_warehouse):
    hand_warehouse.insert(
        "papers",
        [
            paper("a1", DAY, 1, title="Alpha", summary="same words"),  # a1..a4 score exactly alike:
            paper("a2", DAY, 4, title="Alpha", summary="same words"),  # the upvotes order them
            paper("a3", DAY, 3, title="Alpha", summary="same words"),
            paper("a4", DAY, 2, title="Alpha", summary="same words"),
            paper("b1", DAY, 0, title="Alpha", summary="alpha alpha"),  # the best score, no upvotes
            paper("c1", DAY, 9, title="Other", summary="nothing"),  # no match
        ],
    )
    rebuild_derived_tables(hand_warehouse.con)
    return hand_warehouse


@pytest.mark.parametrize("top_n", [1, 2, 3, 5, 6])
def test_the_top_n_are_the_first_n_of_all_matches_with_ties_at_the_cut_decided_by_upvotes(tied_papers, top_n):
    everything = tied_papers.rows("SELECT * FROM search_papers('alpha')")
    assert [r["paper_id"] for r in everything] == ["b1", "a2", "a3", "a4", "a1"]
    top = tied_papers.rows("SELECT * FROM search_papers_top('alpha', ?)", [top_n])
    assert top == everything[:top_n]


def test_the_index_is_stored_by_term_so_a_query_reads_only_its_terms(video_papers):
    terms_in_order = [r["term"] for r in video_papers.rows("SELECT term FROM search_index")]
    assert terms_in_order == sorted(terms_in_order)
