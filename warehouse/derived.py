"""Tables derived from `papers` that SQL cannot keep current by itself: the search index and
similar papers. Rebuilt whole from the current papers, once per publish, in one transaction.

Terms follow the `text_terms()` rule (warehouse/views/050_search.sql) that `search_papers()`
applies to a query; the weighting lives in transforms/text_index.py.
"""

from __future__ import annotations

import duckdb
import polars as pl

from transforms import text_index
from warehouse.db import SCHEMA_DIR, execute_with_rows, scalar, within_memory_limits

DERIVED_TABLES_DDL = SCHEMA_DIR / "003_derived_tables.sql"
TITLE_WEIGHT = 3  # a title occurrence counts three abstract occurrences (search and similarity)
SIMILAR_PER_PAPER = 5

# text_terms() (050_search.sql) applied to whole columns: the same rule, but an anti-join on the
# stop words and plain column functions instead of list lambdas, several times faster on millions
# of tokens. Counted in DuckDB: its parallel group-by collapses the tokens cheapest.
TOKENS_TEMPLATE = """
WITH tokens AS (
    SELECT paper_id, 'title' AS field, unnest(text_tokens(title)) AS token FROM {papers}
    UNION ALL
    SELECT paper_id, 'abstract' AS field, unnest(text_tokens(summary)) AS token FROM {papers}
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
TOKENS_SQL = TOKENS_TEMPLATE.format(papers="papers")


def paper_tokens(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """(paper_id, term, title_occurrences, abstract_occurrences): term counts of every paper."""
    return con.sql(TOKENS_SQL).pl().cast(text_index.OCCURRENCES_SCHEMA)


def derive_tables(occurrences: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The derived tables' rows, named like the tables, from a term-occurrences frame."""
    counts = text_index.weighted_term_counts(occurrences, title_weight=TITLE_WEIGHT)
    return {
        "search_index": text_index.bm25_index(counts),
        "similar_papers": text_index.nearest_neighbours(text_index.tfidf_vectors(counts), k=SIMILAR_PER_PAPER),
    }


# The rebuild runs over the whole history, so DuckDB does the heavy joins and group-bys under a
# memory limit (spilling to disk past it) and Python only sees the pruned, integer-coded
# postings of the neighbour search. Same formulas as text_index (tests check they agree).
# Each statement works on a slice (papers, or a range of terms) so that its sorts, windows and
# group-bys fit a small limit: with whole-history statements a 10x year needed 150 MB and its
# backfill peaked at ~490 MB; a rebuild that still runs out is retried under the next limit.
REBUILD_MEMORY_LIMITS = ("96MB", "600MB", "2GB")
NEIGHBOUR_CHUNK_PAPERS = 500  # papers scored per step: ~ chunk x 20 x 50 products in memory
TERMS_PER_PAPER = 20
PAPERS_PER_TERM = 50

TOKEN_CHUNK_PAPERS = 4_000  # papers tokenised (and their terms weighed) per statement
INDEX_CHUNK_POSTINGS = 3_000_000  # search_index rows sorted per statement

# Papers numbered into chunks; a paper's terms are all counted within its own chunk.
# (first, last) paper_id of each chunk of papers, in paper_id order.
CHUNKS_SQL = """
SELECT min(paper_id), max(paper_id)
FROM (SELECT paper_id, (row_number() OVER (ORDER BY paper_id) - 1) // $size AS chunk FROM papers)
GROUP BY chunk ORDER BY chunk
"""

COUNTS_SQL = f"""
INSERT INTO derived_counts
SELECT paper_id, term, ($title_weight * title_occurrences + abstract_occurrences)::DOUBLE AS tf
FROM ({TOKENS_TEMPLATE.format(papers="(SELECT * FROM papers WHERE paper_id BETWEEN $first AND $last)")})
WHERE title_occurrences + abstract_occurrences > 0
"""

# What BM25 and TF-IDF need of the whole corpus: each paper's length (and its integer key in the
# index), each term's document count.
CORPUS_STATS_SQL = """
CREATE OR REPLACE TABLE derived_lengths AS
SELECT paper_id, length, (row_number() OVER (ORDER BY paper_id) - 1)::INTEGER AS paper_key
FROM (SELECT paper_id, sum(tf) AS length FROM derived_counts GROUP BY paper_id);
CREATE OR REPLACE TABLE derived_dfs AS
SELECT term, count(*) AS df FROM derived_counts GROUP BY term;
"""

# (first, last) term of consecutive term ranges of about $rows postings each, in term order.
TERM_RANGES_SQL = """
SELECT min(term), max(term)
FROM (SELECT term, (sum(df) OVER (ORDER BY term) - 1) // $rows AS chunk FROM derived_dfs)
GROUP BY chunk ORDER BY chunk
"""

# The corpus size and mean length, bound as parameters into the statements below: joined in as a
# one-row CROSS JOIN, duckdb 1.5.5 crossed them with derived_dfs and derived_lengths first (94M rows
# for 100 days; a year's rebuild spilled 11 GB and ran for over 10 minutes).
CORPUS_SIZE_SQL = "SELECT count(*)::DOUBLE AS n_docs, avg(length) AS mean_length FROM derived_lengths"

# One range of terms; ranges are inserted in term order, so the table ends up sorted by term and
# a query reads only its terms' row groups (search_papers_top).
SEARCH_INDEX_SQL = """
INSERT INTO search_index BY NAME
SELECT c.term, c.paper_id, l.paper_key,
       ln(1.0 + ($n_docs - d.df + 0.5) / (d.df + 0.5)) * c.tf * ($k1 + 1.0)
         / (c.tf + $k1 * (1.0 - $b + $b * l.length / $mean_length)) AS score
FROM derived_counts c JOIN derived_lengths l USING (paper_id) JOIN derived_dfs d USING (term)
WHERE c.term BETWEEN $first AND $last
ORDER BY c.term
"""

# tfidf_vectors, then nearest_neighbours' pruning: terms in one paper dropped, a paper's
# heaviest terms kept (per chunk of papers), then a term's heaviest papers; ties keep the
# smaller term / paper_id.
TOP_TERMS_SQL = """
INSERT INTO derived_top_terms
WITH raw AS (SELECT c.paper_id, c.term, d.df, (1.0 + ln(c.tf)) * ln($n_docs / d.df) AS raw_weight
             FROM derived_counts c JOIN derived_dfs d USING (term)
             WHERE c.paper_id BETWEEN $first AND $last),
     norms AS (SELECT paper_id, sqrt(sum(raw_weight * raw_weight)) AS norm FROM raw GROUP BY paper_id),
     vectors AS (SELECT r.paper_id, r.term, r.raw_weight / o.norm AS weight
                 FROM raw r JOIN norms o USING (paper_id)
                 WHERE r.df >= 2 AND o.norm > 0 AND r.raw_weight > 0)
SELECT * FROM vectors
QUALIFY row_number() OVER (PARTITION BY paper_id ORDER BY weight DESC, term) <= $terms
"""

POSTINGS_SQL = """
CREATE OR REPLACE TABLE derived_postings AS
SELECT * FROM derived_top_terms
QUALIFY row_number() OVER (PARTITION BY term ORDER BY weight DESC, paper_id) <= $papers
"""

CODES_SQL = """
CREATE OR REPLACE TABLE derived_paper_codes AS
SELECT paper_id, (row_number() OVER (ORDER BY paper_id) - 1)::UINTEGER AS paper_code
FROM (SELECT DISTINCT paper_id FROM derived_postings);
CREATE OR REPLACE TABLE derived_term_codes AS
SELECT term, (row_number() OVER (ORDER BY term) - 1)::UINTEGER AS term_code
FROM (SELECT DISTINCT term FROM derived_postings);
"""

CODED_POSTINGS_SQL = """
SELECT p.paper_code, t.term_code, d.weight
FROM derived_postings d JOIN derived_paper_codes p USING (paper_id) JOIN derived_term_codes t USING (term)
"""

SIMILAR_SQL = """
INSERT INTO similar_papers BY NAME
SELECT a.paper_id, b.paper_id AS similar_paper_id, n.rank, n.score
FROM incoming_rows n   -- the neighbours Polars scored
JOIN derived_paper_codes a ON a.paper_code = n.paper_code
JOIN derived_paper_codes b ON b.paper_code = n.other_code
"""

WORK_TABLES = ("derived_postings", "derived_paper_codes", "derived_term_codes")


def _search_index(con: duckdb.DuckDBPyConnection, n_docs: float, mean_length: float) -> None:
    """Fill search_index from derived_counts, one range of terms at a time."""
    ranges = con.execute(TERM_RANGES_SQL, {"rows": INDEX_CHUNK_POSTINGS}).fetchall()
    for first, last in ranges:
        con.execute(
            SEARCH_INDEX_SQL,
            {
                "k1": text_index.BM25_K1,
                "b": text_index.BM25_B,
                "n_docs": n_docs,
                "mean_length": mean_length,
                "first": first,
                "last": last,
            },
        )


def _similar_papers(con: duckdb.DuckDBPyConnection, paper_chunks: list[tuple[str, str]], n_docs: float) -> None:
    """Fill similar_papers from derived_counts: prune in DuckDB, score the pairs in Polars."""
    con.execute("CREATE OR REPLACE TABLE derived_top_terms (paper_id VARCHAR, term VARCHAR, weight DOUBLE)")
    for first, last in paper_chunks:
        con.execute(TOP_TERMS_SQL, {"terms": TERMS_PER_PAPER, "n_docs": n_docs, "first": first, "last": last})
    # the term counts are done with: free DuckDB's memory before Polars scores the pairs
    for table in ("derived_counts", "derived_lengths", "derived_dfs"):
        con.execute(f"DROP TABLE {table}")
    con.execute(POSTINGS_SQL, {"papers": PAPERS_PER_TERM})
    con.execute("DROP TABLE derived_top_terms")
    con.execute(CODES_SQL)
    postings = con.sql(CODED_POSTINGS_SQL).pl().cast({"paper_code": pl.UInt32, "term_code": pl.UInt32, "weight": pl.Float64})
    neighbours = text_index.neighbours_of_postings(postings, k=SIMILAR_PER_PAPER, chunk_papers=NEIGHBOUR_CHUNK_PAPERS)
    del postings
    execute_with_rows(con, SIMILAR_SQL, neighbours)


def rebuild_derived_tables(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rebuild search_index and similar_papers from the current papers; return their row counts.

    Call it on the working warehouse (schema applied) before the snapshot is published. DuckDB
    runs it under the first of REBUILD_MEMORY_LIMITS it fits in (the connection's own limit is
    restored afterwards): a rebuild that runs out of memory is rolled back and tried again with
    the next, so a large history costs memory, never the search tables.
    """
    return within_memory_limits(con, REBUILD_MEMORY_LIMITS, lambda: _rebuild(con))


def _rebuild(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    con.execute("BEGIN TRANSACTION")
    try:
        # Dropped and created again from the schema file, so an index made before a column was
        # added gets it (and dropping is cheaper than deleting every row).
        con.execute("DROP TABLE search_index")
        con.execute("DROP TABLE similar_papers")
        con.execute(DERIVED_TABLES_DDL.read_text())
        # Work tables are ordinary tables, dropped before COMMIT: unlike TEMP tables their blocks
        # can leave memory for the database file, which the rebuild needs at ~500k papers (the
        # term counts alone are ~2 GB there).
        con.execute("CREATE OR REPLACE TABLE derived_counts (paper_id VARCHAR, term VARCHAR, tf DOUBLE)")
        paper_chunks = con.execute(CHUNKS_SQL, {"size": TOKEN_CHUNK_PAPERS}).fetchall()
        for first, last in paper_chunks:
            con.execute(COUNTS_SQL, {"title_weight": TITLE_WEIGHT, "first": first, "last": last})
        con.execute(CORPUS_STATS_SQL)
        n_docs, mean_length = con.execute(CORPUS_SIZE_SQL).fetchall()[0]
        _search_index(con, n_docs, mean_length)
        _similar_papers(con, paper_chunks, n_docs)
        for table in WORK_TABLES:
            con.execute(f"DROP TABLE {table}")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return {table: scalar(con, f"SELECT count(*) FROM {table}") for table in ("search_index", "similar_papers")}
