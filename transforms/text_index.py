"""Term weighting for search and similar papers: BM25 and TF-IDF cosine, in pure Polars.

Input is a term-occurrences frame: (paper_id, term, title_occurrences, abstract_occurrences). The
warehouse makes it with its `text_terms()` SQL macro, the same one that splits search queries, so
indexed and queried terms always agree. Nothing here does I/O.
"""

from __future__ import annotations

from typing import cast

import polars as pl

OCCURRENCES_SCHEMA = pl.Schema(
    {
        "paper_id": pl.String,
        "term": pl.String,
        "title_occurrences": pl.UInt32,
        "abstract_occurrences": pl.UInt32,
    }
)


def weighted_term_counts(occurrences: pl.DataFrame, title_weight: float) -> pl.DataFrame:
    """(paper_id, term, tf): tf = title_weight * title_occurrences + abstract_occurrences."""
    missing = [c for c in OCCURRENCES_SCHEMA if c not in occurrences.columns]
    if missing:
        raise ValueError(f"term occurrences: missing columns {missing}, got {occurrences.columns}")
    return occurrences.select(
        "paper_id",
        "term",
        (title_weight * pl.col("title_occurrences").fill_null(0) + pl.col("abstract_occurrences").fill_null(0))
        .cast(pl.Float64)
        .alias("tf"),
    ).filter(pl.col("tf") > 0)


BM25_K1 = 1.2
BM25_B = 0.75


def bm25_index(term_counts: pl.DataFrame, k1: float = BM25_K1, b: float = BM25_B) -> pl.DataFrame:
    """(term, paper_id, score): each paper's Okapi BM25 score for each of its terms.

    idf = ln(1 + (N - df + 0.5) / (df + 0.5)) (never negative), N = papers with any term;
    score = idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / mean_length)),
    length = the paper's weighted term count.
    """
    lengths = term_counts.group_by("paper_id").agg(pl.col("tf").sum().alias("length"))
    n_docs = lengths.height
    mean_length = lengths["length"].mean() if n_docs else 0.0
    return (
        term_counts.join(lengths, on="paper_id")
        .with_columns(pl.len().over("term").alias("df"))
        .with_columns(
            (1.0 + (n_docs - pl.col("df") + 0.5) / (pl.col("df") + 0.5)).log().alias("idf"),
            (1.0 - b + b * pl.col("length") / mean_length).alias("length_norm"),
        )
        .select(
            "term",
            "paper_id",
            (pl.col("idf") * pl.col("tf") * (k1 + 1.0) / (pl.col("tf") + k1 * pl.col("length_norm"))).alias("score"),
        )
    )


def tfidf_vectors(term_counts: pl.DataFrame) -> pl.DataFrame:
    """(paper_id, term, df, weight): L2-normalised TF-IDF vectors.

    weight = (1 + ln tf) * ln(N / df) before normalising; a term in every paper weighs 0.
    """
    n_docs = term_counts["paper_id"].n_unique()
    return (
        term_counts.with_columns(pl.len().over("term").alias("df"))
        .with_columns(((1.0 + pl.col("tf").log()) * (n_docs / pl.col("df")).log()).alias("raw_weight"))
        .with_columns(
            (pl.col("raw_weight") / (pl.col("raw_weight") ** 2).sum().sqrt().over("paper_id")).fill_nan(0.0).alias("weight")
        )
        .filter(pl.col("weight") > 0)
        .select("paper_id", "term", "df", "weight")
    )


NEIGHBOUR_SCHEMA = pl.Schema(
    {
        "paper_id": pl.String,
        "similar_paper_id": pl.String,
        "rank": pl.Int32,
        "score": pl.Float64,
    }
)


def nearest_neighbours(
    vectors: pl.DataFrame,
    k: int = 5,
    terms_per_paper: int = 20,
    papers_per_term: int = 50,
    chunk_papers: int = 20_000,
) -> pl.DataFrame:
    """(paper_id, similar_paper_id, rank, score): each paper's k most similar papers by cosine.

    Exact all-pairs cosine grows with the square of the paper count, so the dot products run
    over a pruned index: each paper keeps its `terms_per_paper` heaviest terms, and each term
    keeps its `papers_per_term` heaviest papers. The heaviest terms are the rare, telling ones;
    a term in thousands of papers says little about any pair of them. The work is then at most
    papers x terms_per_paper x papers_per_term products, linear in papers, and `chunk_papers`
    bounds the memory of one step. The score is the cosine of
    the full normalised vectors summed over the shared kept terms, so it is at most the exact
    cosine. Terms found in a single paper cannot link two papers and are skipped. Ties rank the
    smaller similar_paper_id first. A paper sharing no kept term with any other gets no rows.
    """
    if min(k, terms_per_paper, papers_per_term, chunk_papers) < 1:
        raise ValueError(
            "nearest_neighbours: k, terms_per_paper, papers_per_term and chunk_papers must be >= 1, "
            f"got {k}, {terms_per_paper}, {papers_per_term}, {chunk_papers}"
        )
    linking = vectors.filter(pl.col("df") >= 2).select("paper_id", "term", "weight")
    paper_codes = _codes(linking, "paper_id", "paper_code")
    term_codes = _codes(linking, "term", "term_code")
    postings = _pruned_postings(
        linking.join(paper_codes, on="paper_id").join(term_codes, on="term"),
        terms_per_paper,
        papers_per_term,
    )
    coded = neighbours_of_postings(postings, k=k, chunk_papers=chunk_papers)
    return (
        coded.join(paper_codes, on="paper_code")
        .join(paper_codes.rename({"paper_code": "other_code", "paper_id": "similar_paper_id"}), on="other_code")
        .sort(["paper_id", "rank"])
        .select(list(NEIGHBOUR_SCHEMA))
        .cast(NEIGHBOUR_SCHEMA)
    )


CODED_NEIGHBOUR_SCHEMA = pl.Schema(
    {
        "paper_code": pl.UInt32,
        "other_code": pl.UInt32,
        "rank": pl.Int32,
        "score": pl.Float64,
    }
)


def neighbours_of_postings(postings: pl.DataFrame, k: int = 5, chunk_papers: int = 20_000) -> pl.DataFrame:
    """(paper_code, other_code, rank, score): the top-k neighbours over already pruned postings
    (paper_code, term_code, weight), integer codes in the order of the ids and terms they stand
    for. `chunk_papers` papers are scored at a time, which bounds the memory of one step."""
    if min(k, chunk_papers) < 1:
        raise ValueError(f"neighbours_of_postings: k and chunk_papers must be >= 1, got {k}, {chunk_papers}")
    missing = [c for c in ("paper_code", "term_code", "weight") if c not in postings.columns]
    if missing:
        raise ValueError(f"postings: missing columns {missing}, got {postings.columns}")
    if postings.is_empty():
        return pl.DataFrame(schema=CODED_NEIGHBOUR_SCHEMA)
    parts = [
        _top_k_for(postings.filter(pl.col("paper_code").is_between(start, start + chunk_papers - 1)), postings, k)
        for start in range(0, int(cast(int, postings["paper_code"].max())) + 1, chunk_papers)
    ]
    return pl.concat(parts, how="vertical").select(list(CODED_NEIGHBOUR_SCHEMA)).cast(CODED_NEIGHBOUR_SCHEMA)


def _codes(frame: pl.DataFrame, column: str, code: str) -> pl.DataFrame:
    """(column, code): UInt32 codes in sorted order of the values, so code order is value order
    (ties broken by code are broken by id or term, whatever order the rows came in)."""
    return frame.select(column).unique().sort(column).with_row_index(code)


def _pruned_postings(coded: pl.DataFrame, terms_per_paper: int, papers_per_term: int) -> pl.DataFrame:
    """(paper_code, term_code, weight) of the kept terms: a paper's heaviest terms, then a term's
    heaviest papers; equal weights keep the smaller code."""
    return (
        coded.select("paper_code", "term_code", "weight")
        .sort(["paper_code", "weight", "term_code"], descending=[False, True, False])
        .filter(pl.int_range(pl.len()).over("paper_code") < terms_per_paper)
        .sort(["term_code", "weight", "paper_code"], descending=[False, True, False])
        .filter(pl.int_range(pl.len()).over("term_code") < papers_per_term)
    )


def _top_k_for(left: pl.DataFrame, postings: pl.DataFrame, k: int) -> pl.DataFrame:
    """(paper_code, other_code, rank, score): the top-k neighbours of the papers in `left`."""
    # only the chunk's terms: the join then hashes a small frame, not every posting per chunk
    right = postings.filter(pl.col("term_code").is_in(left["term_code"].unique().implode())).select(
        "term_code", pl.col("paper_code").alias("other_code"), pl.col("weight").alias("other_weight")
    )
    # One UInt64 key per pair groups much faster than two columns.
    shift = 2**32
    return (
        left.join(right, on="term_code")
        .filter(pl.col("paper_code") != pl.col("other_code"))
        .select(
            (pl.col("paper_code").cast(pl.UInt64) * shift + pl.col("other_code")).alias("pair"),
            (pl.col("weight") * pl.col("other_weight")).alias("product"),
        )
        .group_by("pair")
        .agg(pl.col("product").sum().alias("score"))
        .select(
            (pl.col("pair") // shift).cast(pl.UInt32).alias("paper_code"),
            (pl.col("pair") % shift).cast(pl.UInt32).alias("other_code"),
            "score",
        )
        .group_by("paper_code")
        .agg(
            # the k best by score; on equal scores the smaller code (= smaller paper_id) wins
            pl.col("other_code", "score").top_k_by(["score", "other_code"], k, reverse=[False, True])
        )
        .explode("other_code", "score")
        .sort(["paper_code", "score", "other_code"], descending=[False, True, False])
        .with_columns(pl.int_range(1, pl.len() + 1, dtype=pl.Int32).over("paper_code").alias("rank"))
    )
