"""Term weighting for search and similar papers: BM25 and TF-IDF cosine, in pure Polars.

Input is a tokens frame, one row per term occurrence: (paper_id, field, term), field 'title' or
'abstract'. The warehouse makes it with its `text_terms()` SQL macro, the same one that splits
search queries, so indexed and queried terms always agree. Nothing here does I/O.
"""

from __future__ import annotations

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


NEIGHBOUR_SCHEMA = {
    "paper_id": pl.String, "similar_paper_id": pl.String, "rank": pl.Int32, "score": pl.Float64,
}


def nearest_neighbours(
    vectors: pl.DataFrame,
    k: int = 5,
    terms_per_paper: int = 20,
    papers_per_term: int = 200,
    chunk_papers: int = 20_000,
) -> pl.DataFrame:
    """(paper_id, similar_paper_id, rank, score): each paper's k most similar papers by cosine.

    Exact all-pairs cosine grows with the square of the paper count, so the dot products run
    over a pruned index: each paper keeps its `terms_per_paper` heaviest terms, and each term
    keeps its `papers_per_term` heaviest papers. The heaviest terms are the rare, telling ones;
    a term in thousands of papers says little about any pair of them. The score is the cosine of
    the full normalised vectors summed over the shared kept terms, so it is at most the exact
    cosine. Terms found in a single paper cannot link two papers and are skipped. Ties rank the
    smaller similar_paper_id first. A paper sharing no kept term with any other gets no rows.
    """
    if min(k, terms_per_paper, papers_per_term, chunk_papers) < 1:
        raise ValueError(
            "nearest_neighbours: k, terms_per_paper, papers_per_term and chunk_papers must be >= 1, "
            f"got {k}, {terms_per_paper}, {papers_per_term}, {chunk_papers}"
        )
    postings = _pruned_postings(vectors, terms_per_paper, papers_per_term)
    ids = postings.select("paper_code", "paper_id").unique()
    codes = postings["paper_code"].unique().sort()
    parts = [
        _top_k_for(postings.filter(pl.col("paper_code").is_in(codes.slice(start, chunk_papers).implode())),
                   postings, k)
        for start in range(0, codes.len(), chunk_papers)
    ]
    if not parts:
        return pl.DataFrame(schema=NEIGHBOUR_SCHEMA)
    return (
        pl.concat(parts)
        .join(ids, on="paper_code")
        .join(ids.rename({"paper_code": "other_code", "paper_id": "similar_paper_id"}), on="other_code")
        .sort(["paper_id", "rank"])
        .select(list(NEIGHBOUR_SCHEMA))
        .cast(NEIGHBOUR_SCHEMA)
    )


def _pruned_postings(vectors: pl.DataFrame, terms_per_paper: int, papers_per_term: int) -> pl.DataFrame:
    """(paper_code, paper_id, term_code, weight) of the kept terms; integer codes join fast."""
    return (
        vectors.filter(pl.col("df") >= 2)
        .with_columns(
            pl.col("paper_id").rank("dense").cast(pl.UInt32).alias("paper_code"),
            pl.col("term").rank("dense").cast(pl.UInt32).alias("term_code"),
        )
        # Ties on weight are broken by code, so the pruning does not depend on row order.
        .sort(["weight", "term_code", "paper_code"], descending=[True, False, False])
        .filter(pl.int_range(pl.len()).over("paper_code") < terms_per_paper)
        .filter(pl.int_range(pl.len()).over("term_code") < papers_per_term)
        .select("paper_code", "paper_id", "term_code", "weight")
    )


def _top_k_for(left: pl.DataFrame, postings: pl.DataFrame, k: int) -> pl.DataFrame:
    """(paper_code, other_code, rank, score): the top-k neighbours of the papers in `left`."""
    right = postings.select(
        "term_code", pl.col("paper_code").alias("other_code"), pl.col("weight").alias("other_weight")
    )
    return (
        left.join(right, on="term_code")
        .filter(pl.col("paper_code") != pl.col("other_code"))
        .group_by("paper_code", "other_code")
        .agg((pl.col("weight") * pl.col("other_weight")).sum().alias("score"))
        .sort(["paper_code", "score", "other_code"], descending=[False, True, False])
        .filter(pl.int_range(pl.len()).over("paper_code") < k)
        .with_columns(pl.int_range(1, pl.len() + 1, dtype=pl.Int32).over("paper_code").alias("rank"))
    )
