"""BM25, TF-IDF vectors and nearest neighbours on token frames small enough to work by hand."""

from __future__ import annotations

import math

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from transforms import text_index


def occurrences(rows: list[tuple[str, str, int, int]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=text_index.OCCURRENCES_SCHEMA, orient="row")


TWO_PAPERS = occurrences(
    [
        ("d1", "alpha", 1, 0),  # a title occurrence: counts 3 with title_weight 3
        ("d1", "beta", 0, 1),
        ("d2", "alpha", 0, 1),  # alpha in both papers: low idf
        ("d2", "gamma", 0, 1),
    ]
)


def test_weighted_term_counts_weigh_title_occurrences():
    counts = text_index.weighted_term_counts(
        occurrences(
            [
                ("d1", "alpha", 1, 2),  # in both fields: 1 * 3 + 2 = 5
                ("d1", "beta", 0, 4),  # abstract only: 4
                ("d2", "gamma", 2, 0),  # title only: 2 * 3 = 6
            ]
        ),
        title_weight=3,
    )
    expected = pl.DataFrame(
        {
            "paper_id": ["d1", "d1", "d2"],
            "term": ["alpha", "beta", "gamma"],
            "tf": [5.0, 4.0, 6.0],
        }
    )
    assert_frame_equal(counts, expected)


def test_weighted_term_counts_name_missing_columns():
    with pytest.raises(ValueError, match=r"missing columns \['title_occurrences'\]"):
        text_index.weighted_term_counts(
            pl.DataFrame({"paper_id": ["d9"], "term": ["x"], "abstract_occurrences": [1]}), title_weight=3
        )


def test_bm25_scores_by_hand():
    counts = text_index.weighted_term_counts(TWO_PAPERS, title_weight=3)
    index = text_index.bm25_index(counts, k1=1.2, b=0.75).sort("paper_id", "term")
    # N = 2; lengths d1 = 3 + 1 = 4, d2 = 2; mean 3.
    idf_alpha = math.log(1 + (2 - 2 + 0.5) / (2 + 0.5))  # df 2 -> ln 1.2
    idf_rare = math.log(1 + (2 - 1 + 0.5) / (1 + 0.5))  # df 1 -> ln 2
    norm_d1 = 1 - 0.75 + 0.75 * 4 / 3  # 1.25
    norm_d2 = 1 - 0.75 + 0.75 * 2 / 3  # 0.75
    expected = pl.DataFrame(
        {
            "term": ["alpha", "beta", "alpha", "gamma"],
            "paper_id": ["d1", "d1", "d2", "d2"],
            "score": [
                idf_alpha * 3 * 2.2 / (3 + 1.2 * norm_d1),
                idf_rare * 1 * 2.2 / (1 + 1.2 * norm_d1),
                idf_alpha * 1 * 2.2 / (1 + 1.2 * norm_d2),
                idf_rare * 1 * 2.2 / (1 + 1.2 * norm_d2),
            ],
        }
    )
    assert_frame_equal(index, expected)


def test_tfidf_vectors_are_unit_length_and_drop_terms_in_every_paper():
    counts = pl.DataFrame(
        {
            "paper_id": ["d1", "d1", "d1", "d2", "d2", "d3"],
            "term": ["x", "y", "all", "x", "all", "all"],  # 'all' is in every paper: idf ln(3/3) = 0
            "tf": [1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        }
    )
    vectors = text_index.tfidf_vectors(counts).sort("paper_id", "term")
    # d1: x = ln(3/2), y = ln(3/1), normalised by sqrt(ln1.5^2 + ln3^2); d2: x alone -> 1.0
    norm = math.hypot(math.log(1.5), math.log(3))
    expected = pl.DataFrame(
        {
            "paper_id": ["d1", "d1", "d2"],
            "term": ["x", "y", "x"],
            "df": [2, 1, 2],
            "weight": [math.log(1.5) / norm, math.log(3) / norm, 1.0],
        }
    ).with_columns(pl.col("df").cast(pl.UInt32))
    assert_frame_equal(vectors, expected, check_dtypes=False)


def test_tf_is_dampened_by_its_log():
    counts = pl.DataFrame(
        {
            "paper_id": ["d1", "d1", "d2"],
            "term": ["x", "y", "z"],
            "tf": [4.0, 1.0, 1.0],  # x four times as often as y in d1, same df (1)
        }
    )
    weights = dict(text_index.tfidf_vectors(counts).filter(pl.col("paper_id") == "d1").select("term", "weight").iter_rows())
    # raw x = (1 + ln 4) * ln 2, raw y = (1 + ln 1) * ln 2: x weighs 1 + ln 4 = 2.39 times y, not 4
    norm = math.hypot(1 + math.log(4), 1.0)
    assert weights == {"x": pytest.approx((1 + math.log(4)) / norm), "y": pytest.approx(1 / norm)}


def vectors(rows: list[tuple[str, str, int, float]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema={"paper_id": pl.String, "term": pl.String, "df": pl.UInt32, "weight": pl.Float64}, orient="row"
    )


def test_nearest_neighbours_score_is_the_dot_product_of_shared_terms():
    v = vectors(
        [
            ("d1", "x", 2, 0.6),
            ("d1", "y", 2, 0.8),
            ("d2", "x", 2, 0.8),
            ("d2", "z", 1, 0.6),  # z is in one paper: links nobody
            ("d3", "y", 2, 1.0),
            ("d4", "w", 1, 1.0),  # shares nothing: no rows
        ]
    )
    result = text_index.nearest_neighbours(v, k=5)
    expected = pl.DataFrame(
        {
            "paper_id": ["d1", "d1", "d2", "d3"],
            "similar_paper_id": ["d3", "d2", "d1", "d1"],
            "rank": [1, 2, 1, 1],
            "score": [0.8 * 1.0, 0.6 * 0.8, 0.8 * 0.6, 1.0 * 0.8],  # d1-d3 via y, d1-d2 via x
        },
        schema=text_index.NEIGHBOUR_SCHEMA,
    )
    assert_frame_equal(result, expected)


def test_ties_rank_the_smaller_id_first_and_k_caps_the_list():
    v = vectors([(p, "x", 3, 1.0) for p in ("d1", "d2", "d3")])  # every pair scores 1.0
    result = text_index.nearest_neighbours(v, k=1)
    assert result.select("paper_id", "similar_paper_id").rows() == [("d1", "d2"), ("d2", "d1"), ("d3", "d1")]


def test_pruning_keeps_only_the_heaviest_papers_of_a_term():
    v = vectors([("d1", "x", 3, 0.9), ("d2", "x", 3, 0.5), ("d3", "x", 3, 0.7)])
    # papers_per_term=2 keeps d1 and d3 (the two heaviest): d2 gets no neighbours
    result = text_index.nearest_neighbours(v, k=5, papers_per_term=2)
    assert result.select("paper_id", "similar_paper_id").rows() == [("d1", "d3"), ("d3", "d1")]
    # terms_per_paper=1 keeps each paper's heaviest term only: y (0.8) for d1, not x
    v2 = vectors([("d1", "x", 2, 0.6), ("d1", "y", 2, 0.8), ("d2", "x", 2, 1.0), ("d3", "y", 2, 1.0)])
    result2 = text_index.nearest_neighbours(v2, k=5, terms_per_paper=1)
    assert result2.select("paper_id", "similar_paper_id").rows() == [("d1", "d3"), ("d3", "d1")]


def test_small_chunks_give_the_same_answer():
    v = vectors([("d1", "x", 2, 0.6), ("d1", "y", 2, 0.8), ("d2", "x", 2, 0.8), ("d3", "y", 2, 1.0)])
    assert_frame_equal(text_index.nearest_neighbours(v, chunk_papers=1), text_index.nearest_neighbours(v))


def test_nearest_neighbours_of_nothing_is_an_empty_table():
    result = text_index.nearest_neighbours(vectors([]))
    assert result.height == 0 and result.schema == pl.Schema(text_index.NEIGHBOUR_SCHEMA)


def test_nearest_neighbours_rejects_k_below_one():
    with pytest.raises(ValueError, match="must be >= 1, got 0"):
        text_index.nearest_neighbours(vectors([]), k=0)
