"""Tables derived from `papers` that SQL cannot keep current by itself: the search index and
similar papers. Rebuilt whole from the current papers, once per publish, in one transaction.

Terms follow the `text_terms()` rule (warehouse/views/050_search.sql) that `search_papers()`
applies to a query; the weighting lives in transforms/text_index.py.
"""

from __future__ import annotations

import duckdb
import polars as pl

from transforms import text_index

TITLE_WEIGHT = 3          # a title occurrence counts three abstract occurrences (search and similarity)
SIMILAR_PER_PAPER = 5

# text_terms() (050_search.sql) applied to whole columns: the same rule, but an anti-join on the
# stop words and plain column functions instead of list lambdas, several times faster on millions
# of tokens. Counted in DuckDB: its parallel group-by collapses the tokens cheapest.
TOKENS_SQL = """
WITH tokens AS (
    SELECT paper_id, 'title' AS field, unnest(text_tokens(title)) AS token FROM papers
    UNION ALL
    SELECT paper_id, 'abstract' AS field, unnest(text_tokens(summary)) AS token FROM papers
)
SELECT
    paper_id,
    stem_term(token) AS term,
    count(*) FILTER (WHERE field = 'title') AS title_occurrences,
    count(*) FILTER (WHERE field = 'abstract') AS abstract_occurrences
FROM tokens
WHERE length(token) >= 2 AND token NOT IN (SELECT unnest(stop_words()))
GROUP BY ALL
"""


def paper_tokens(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """(paper_id, term, title_occurrences, abstract_occurrences): term counts of every paper."""
    return con.sql(TOKENS_SQL).pl().cast(text_index.OCCURRENCES_SCHEMA)


def derive_tables(occurrences: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The derived tables' rows, named like the tables, from a term-occurrences frame."""
    counts = text_index.weighted_term_counts(occurrences, title_weight=TITLE_WEIGHT)
    return {
        "search_index": text_index.bm25_index(counts),
        "similar_papers": text_index.nearest_neighbours(
            text_index.tfidf_vectors(counts), k=SIMILAR_PER_PAPER
        ),
    }


def rebuild_derived_tables(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rebuild search_index and similar_papers from the current papers; return their row counts.

    Call it on the working warehouse (schema applied) before the snapshot is published.
    """
    frames = derive_tables(paper_tokens(con))
    con.execute("BEGIN TRANSACTION")
    try:
        for table, frame in frames.items():
            con.execute(f"DELETE FROM {table}")  # table names come from derive_tables' fixed keys
            con.register("derived_rows", frame)
            try:
                con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM derived_rows")
            finally:
                con.unregister("derived_rows")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return {table: frame.height for table, frame in frames.items()}
