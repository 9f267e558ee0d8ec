"""Tables derived from `papers` that SQL cannot keep current by itself: the search index and
similar papers. Rebuilt whole from the current papers, once per publish, in one transaction.

Terms come from the `text_terms()` macro (warehouse/views/050_search.sql), the same function
`search_papers()` applies to a query; the weighting lives in transforms/text_index.py.
"""

from __future__ import annotations

import duckdb
import polars as pl

from transforms import text_index

TITLE_WEIGHT = 3          # a title occurrence counts three abstract occurrences (search and similarity)
SIMILAR_PER_PAPER = 5

TOKENS_SQL = """
SELECT paper_id, 'title' AS field, unnest(text_terms(title)) AS term FROM papers
UNION ALL
SELECT paper_id, 'abstract' AS field, unnest(text_terms(summary)) AS term FROM papers
"""


def paper_tokens(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """(paper_id, field, term): every term occurrence in the titles and abstracts of `papers`."""
    return con.sql(TOKENS_SQL).pl().cast(text_index.TOKENS_SCHEMA)


def derive_tables(tokens: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The derived tables' rows, named like the tables, from a tokens frame."""
    counts = text_index.weighted_term_counts(tokens, title_weight=TITLE_WEIGHT)
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
