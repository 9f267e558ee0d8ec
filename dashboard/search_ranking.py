"""The dashboard's full-text search: search_papers_top (warehouse/views/050_search.sql) with the
per-posting scores and the per-paper sums done in NumPy.

A query of common words matches most papers (three words of the generated 10x history: 1.1M
postings, ~500k papers). DuckDB's hash group-by over them was ~70 ms of a ~90 ms search, so the
postings' integer paper keys index an array instead (np.bincount, the accumulator of
term-at-a-time search engines). Scoring each posting with the bm25() macro in SQL then took
~110 ms of the 10x search's ~135: the macro's idf, ln(1.0 + (papers - df + 0.5) / (df + 0.5)),
is DECIMAL(21,1) arithmetic (128-bit integers) on every posting although it depends on the term
alone. So DuckDB computes the idf once per query term (the macro's own expression), reads each
term's postings (paper key, tf, length), and NumPy applies the rest of bm25() in the macro's
order of operations on float64: the same IEEE operations, so the same bits (tests compare every
posting with the macro's score, and the bench compares the 10x searches). DuckDB still splits
the query with the same text_terms() and looks the best papers up. Same rows, scores and order
as the macro (tests compare them); scores may differ in the last bits from the macro's sums, as
DuckDB's parallel sums do between runs.

Queries run with `con.execute(sql, params)`, never `con.sql(sql, params=...)`: with parameters,
duckdb 1.5.5's `sql()` runs the query into a materialized relation and re-reads it row by row
(duckdb/duckdb#22599), which took 2-5 s for the 1.1M postings above instead of ~60 ms.
"""

from __future__ import annotations

import duckdb
import numpy as np
import polars as pl

# Per query term found in the index: the bm25() macro's idf and mean length, as the macro computes them.
TERMS_SQL = """
SELECT t.term, ln(1.0 + (s.papers - t.df + 0.5) / (t.df + 0.5)) AS idf, s.total_length / s.papers AS mean_length
FROM search_terms AS t CROSS JOIN search_stats AS s
WHERE t.term = ANY($terms)
"""

# One term's postings (those of papers removed or edited since the last full build included).
POSTINGS_SQL = "SELECT paper_key, tf, length FROM search_postings WHERE term = $term"
# Keys of papers removed or edited since the last full build (usually none): their postings are
# left out here, in NumPy (a NOT IN on each term's query cost ~1.7 ms a term at 10x).
DEAD_KEYS_SQL = "SELECT paper_key FROM search_dead_keys"

RESULT_SQL = """
WITH kept AS (
    SELECT unnest(CAST($keys AS INTEGER[])) AS paper_key, unnest(CAST($scores AS DOUBLE[])) AS score,
           unnest(CAST($matched AS BIGINT[])) AS matched_terms
),
ids AS (
    SELECT paper_key, paper_id FROM search_documents WHERE paper_key IN (SELECT paper_key FROM kept)
)
SELECT p.paper_id, p.title, p.listing_date, p.upvotes, k.score, k.matched_terms
FROM kept AS k
JOIN ids USING (paper_key)
JOIN papers AS p USING (paper_id)
ORDER BY k.score DESC, p.upvotes DESC, p.paper_id
LIMIT $limit
"""


def search_top(con, query_text: str, limit: int | None) -> pl.DataFrame | None:
    """search_papers_top(query_text, limit) on `con`, or None when the snapshot's index predates
    search_postings (published by an older release): the caller then runs the snapshot's macro."""
    terms = [row[0] for row in con.execute("SELECT DISTINCT unnest(text_terms(?))", [query_text]).fetchall()]
    try:
        keys, scores = posting_scores(con, terms)
    except duckdb.CatalogException:
        return None
    sums = np.bincount(keys, weights=scores)
    matched = np.bincount(keys)
    found = np.flatnonzero(matched)
    kept = found if limit is None else found[sums[found] >= _nth_largest(sums[found], limit)]
    return con.execute(
        RESULT_SQL,
        {
            "keys": kept.tolist(),
            "scores": sums[kept].tolist(),
            "matched": matched[kept].tolist(),
            "limit": limit,
        },
    ).pl()


def posting_scores(con, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(paper keys, BM25 scores) of every live posting of `terms` (none of search_dead_keys):
    per posting, the value of bm25(tf, length, df, papers, total_length), bit for bit."""
    keys: list[np.ndarray] = [np.empty(0, dtype=np.int32)]
    scores: list[np.ndarray] = [np.empty(0, dtype=np.float64)]
    # sorted: the per-paper sums add the terms in one order, whatever order the index returns them in
    for term, idf, mean_length in sorted(con.execute(TERMS_SQL, {"terms": terms}).fetchall()):
        postings = con.execute(POSTINGS_SQL, {"term": term}).to_arrow_table()
        tf = postings["tf"].to_numpy()
        length = postings["length"].to_numpy()
        keys.append(postings["paper_key"].to_numpy())
        # bm25(): idf * tf * (1.2 + 1.0) / (tf + 1.2 * (1.0 - 0.75 + 0.75 * length / (total_length / papers))),
        # evaluated as DuckDB does (left to right, the decimal constants as the nearest doubles)
        scores.append(idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / mean_length)))
    all_keys, all_scores = np.concatenate(keys), np.concatenate(scores)
    dead = con.execute(DEAD_KEYS_SQL).to_arrow_table()["paper_key"].to_numpy()
    if dead.size:
        live = ~np.isin(all_keys, dead)
        return all_keys[live], all_scores[live]
    return all_keys, all_scores


def _nth_largest(values: np.ndarray, n: int) -> float:
    """The n-th largest value (-inf when there are fewer): papers scoring at least it are kept,
    ties included, for upvotes and paper_id to order as the macro does."""
    if n < 1:
        return np.inf
    if len(values) <= n:
        return -np.inf
    return float(np.partition(values, len(values) - n)[len(values) - n])
