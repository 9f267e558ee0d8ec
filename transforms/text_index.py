"""Term weighting for search and similar papers: BM25 and TF-IDF cosine, in pure Polars.

Input is a tokens frame, one row per term occurrence: (paper_id, field, term), field 'title' or
'abstract'. The warehouse makes it with its `text_terms()` SQL macro, the same one that splits
search queries, so indexed and queried terms always agree. Nothing here does I/O.
"""

from __future__ import annotations

import math

import polars as pl

TOKENS_SCHEMA = {"paper_id": pl.String, "field": pl.String, "term": pl.String}
FIELDS = ("title", "abstract")


def weighted_term_counts(tokens: pl.DataFrame, title_weight: float) -> pl.DataFrame:
    """(paper_id, term, tf): occurrences per paper and term, a title occurrence counting `title_weight`."""
    unknown = tokens.filter(~pl.col("field").is_in(FIELDS))
    if unknown.height:
        raise ValueError(
            f"tokens: field must be one of {FIELDS}, got {unknown['field'].unique().to_list()} "
            f"(paper {unknown['paper_id'][0]})"
        )
    return (
        tokens.with_columns(
            pl.when(pl.col("field") == "title").then(pl.lit(float(title_weight)))
            .otherwise(pl.lit(1.0)).alias("occurrence_weight")
        )
        .group_by("paper_id", "term")
        .agg(pl.col("occurrence_weight").sum().alias("tf"))
    )


def bm25_index(term_counts: pl.DataFrame, k1: float = 1.2, b: float = 0.75) -> pl.DataFrame:
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
            (
                pl.col("idf") * pl.col("tf") * (k1 + 1.0)
                / (pl.col("tf") + k1 * pl.col("length_norm"))
            ).alias("score"),
        )
    )


def tfidf_vectors(term_counts: pl.DataFrame) -> pl.DataFrame:
    """(paper_id, term, df, weight): L2-normalised TF-IDF vectors.

    weight = (1 + ln tf) * ln(N / df) before normalising; a term in every paper weighs 0.
    """
    n_docs = term_counts["paper_id"].n_unique()
    return (
        term_counts.with_columns(pl.len().over("term").alias("df"))
        .with_columns(
            ((1.0 + pl.col("tf").log()) * (n_docs / pl.col("df")).log()).alias("raw_weight")
        )
        .with_columns(
            (pl.col("raw_weight") / (pl.col("raw_weight") ** 2).sum().sqrt().over("paper_id"))
            .fill_nan(0.0)
            .alias("weight")
        )
        .filter(pl.col("weight") > 0)
        .select("paper_id", "term", "df", "weight")
    )


def default_max_df(n_docs: int) -> int:
    """Terms in more papers than this are left out of the neighbour search (see nearest_neighbours)."""
    return max(50, math.ceil(0.01 * n_docs))


def nearest_neighbours(
    vectors: pl.DataFrame, k: int = 5, max_df: int | None = None, chunk_papers: int = 5_000
) -> pl.DataFrame:
    """(paper_id, similar_paper_id, rank, score): each paper's k most similar papers by cosine.

    Only terms found in at most `max_df` papers (default_max_df) take part in the dot products:
    a common term carries little weight after IDF yet pairs every paper with every other, so
    skipping it keeps the work near-linear. The score is the cosine over the shared remaining
    terms of the full normalised vectors (a slight underestimate when common terms are shared).
    Ties rank the smaller similar_paper_id first. Papers with no shared term get no rows.
    """
    if k < 1:
        raise ValueError(f"nearest_neighbours: k must be at least 1, got {k}")
    limit = default_max_df(vectors["paper_id"].n_unique()) if max_df is None else max_df
    postings = vectors.filter(pl.col("df") <= limit).select("paper_id", "term", "weight")
    papers = postings["paper_id"].unique().sort()
    parts = []
    for start in range(0, papers.len(), chunk_papers):
        chunk = postings.filter(pl.col("paper_id").is_in(papers.slice(start, chunk_papers).implode()))
        parts.append(_top_k_for(chunk, postings, k))
    if not parts:
        return pl.DataFrame(
            schema={"paper_id": pl.String, "similar_paper_id": pl.String,
                    "rank": pl.Int32, "score": pl.Float64}
        )
    return pl.concat(parts)


def _top_k_for(left: pl.DataFrame, postings: pl.DataFrame, k: int) -> pl.DataFrame:
    """The top-k neighbours of the papers in `left` among all papers in `postings`."""
    return (
        left.join(postings, on="term", suffix="_other")
        .filter(pl.col("paper_id") != pl.col("paper_id_other"))
        .group_by("paper_id", "paper_id_other")
        .agg((pl.col("weight") * pl.col("weight_other")).sum().alias("score"))
        .sort(["paper_id", "score", "paper_id_other"], descending=[False, True, False])
        .group_by("paper_id", maintain_order=True)
        .head(k)
        .select(
            "paper_id",
            pl.col("paper_id_other").alias("similar_paper_id"),
            pl.int_range(1, pl.len() + 1, dtype=pl.Int32).over("paper_id").alias("rank"),
            "score",
        )
    )
