"""The dashboard's full-text search: search_papers_top (warehouse/views/050_search.sql) with the
per-paper sums done in NumPy.

A query of common words matches most papers (three words of the generated 10x history: 1.1M
postings, ~500k papers), and DuckDB's hash group-by over them was ~70 ms of a ~90 ms search.
Here the postings' integer paper keys index an array instead (np.bincount, the accumulator of
term-at-a-time search engines); DuckDB still reads the index, splits the query with the same
text_terms(), scores each posting with the same bm25() macro as the view search_index, and looks
the best papers up. Same rows, scores and order as the macro (tests compare them); scores may
differ in the last bits, as DuckDB's parallel sums do between runs.

Queries run with `con.execute(sql, params)`, never `con.sql(sql, params=...)`: with parameters,
duckdb 1.5.5's `sql()` runs the query into a materialized relation and re-reads it row by row
(duckdb/duckdb#22599), which took 2-5 s for the 1.1M postings above instead of ~60 ms.
"""

from __future__ import annotations

import duckdb
import numpy as np
import polars as pl

# Each posting of the query's terms with its BM25 score (search_index's arithmetic).
POSTINGS_SQL = """
SELECT p.paper_key, bm25(p.tf, p.length, t.df, s.papers, s.total_length) AS score
FROM search_postings AS p
JOIN (SELECT term, df FROM search_terms WHERE term = ANY($terms)) AS t USING (term)
CROSS JOIN search_stats AS s
WHERE p.term = ANY($terms) AND p.paper_key NOT IN (SELECT paper_key FROM search_dead_keys)
"""

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
        postings = con.execute(POSTINGS_SQL, {"terms": terms}).to_arrow_table()
    except duckdb.CatalogException:
        return None
    keys = postings["paper_key"].to_numpy()
    sums = np.bincount(keys, weights=postings["score"].to_numpy())
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


def _nth_largest(values: np.ndarray, n: int) -> float:
    """The n-th largest value (-inf when there are fewer): papers scoring at least it are kept,
    ties included, for upvotes and paper_id to order as the macro does."""
    if n < 1:
        return np.inf
    if len(values) <= n:
        return -np.inf
    return float(np.partition(values, len(values) - n)[len(values) - n])
