"""The search index's stored part: term counts per paper, document frequencies, corpus totals
(tables in warehouse/schema/003_derived_tables.sql). None of it depends on the rest of the corpus
paper by paper, so it is kept exactly by deltas: only papers that are new, gone, or whose title or
abstract changed (their `hash(title, summary)` differs from the one indexed) are tokenised again.
BM25 is computed when a query reads the index (warehouse/views/050_search.sql).

Terms follow the `text_terms()` rule that `search_papers()` applies to a query. The functions run
inside the caller's transaction (warehouse/derived.py).
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import duckdb
import polars as pl
import pyarrow as pa

from transforms import text_index
from warehouse.db import execute_with_rows, scalar

TITLE_WEIGHT = 3  # a title occurrence counts three abstract occurrences (search and similarity)
TOKEN_CHUNK_PAPERS = 4_000  # papers tokenised (and their terms weighed) per statement
# A table scan runs on one thread per row group (122,880 rows), so a chunk read from `papers`
# is tokenised by one thread; handed to DuckDB as Arrow batches of this many papers, each batch
# is a unit of work and every thread tokenises (measured on a year: ~2x on 2 cores).
TOKEN_BATCH_PAPERS = 500
INDEX_CHUNK_POSTINGS = 3_000_000  # search_postings rows sorted per statement

# text_terms() (050_search.sql) applied to whole columns: the same rule, but an anti-join on the
# stop words and plain column functions instead of list lambdas, several times faster on millions
# of tokens. Counted in DuckDB: its parallel group-by collapses the tokens cheapest.
TOKENS_TEMPLATE = """
WITH tokens AS (
    SELECT {paper}, 'title' AS field, unnest(text_tokens(title)) AS token FROM {papers}
    UNION ALL
    SELECT {paper}, 'abstract' AS field, unnest(text_tokens(summary)) AS token FROM {papers}
)
SELECT
    {paper},
    stem_term(token) AS term,
    count(*) FILTER (WHERE field = 'title') AS title_occurrences,
    count(*) FILTER (WHERE field = 'abstract') AS abstract_occurrences
FROM tokens
WHERE length(token) >= 2 AND token NOT IN (SELECT unnest(stop_words()))
GROUP BY ALL
"""
TOKENS_SQL = TOKENS_TEMPLATE.format(paper="paper_id", papers="papers")

# What marks a paper as edited: its indexed text's hash. DuckDB's hash() may change between
# releases; then every paper looks edited and the update becomes a full build, never a wrong index.
TEXT_HASH = "hash(title, summary)"

# The term counts of the papers being indexed: by paper_id in an update; by paper_key in a full
# build, which numbers the papers before counting (an integer instead of a string in ~2.5M rows at
# 1x: cheaper to write, join and window on).
WORK_COUNTS_DDL = "CREATE OR REPLACE TABLE derived_counts (paper_id VARCHAR, term VARCHAR, tf DOUBLE)"
FULL_WORK_COUNTS_DDL = "CREATE OR REPLACE TABLE derived_counts (paper_key INTEGER, term VARCHAR, tf DOUBLE)"


def counts_sql(papers: str, paper: str = "paper_id") -> str:
    """INSERT into derived_counts the weighted term counts of the papers `papers` selects, by
    their column `paper`."""
    return f"""
INSERT INTO derived_counts
SELECT {paper}, term, ($title_weight * title_occurrences + abstract_occurrences)::DOUBLE AS tf
FROM ({TOKENS_TEMPLATE.format(paper=paper, papers=papers)})
WHERE title_occurrences + abstract_occurrences > 0
"""


# A chunk's papers with their keys, read into Arrow once: tokenised from there (FULL_COUNTS_SQL's
# incoming_rows), then their documents written (CHUNK_DOCUMENTS_SQL). Keys number the papers 0..
# in paper_id order: $first_key is the number of papers before the chunk.
CHUNK_TEXT_SQL = f"""
SELECT ($first_key + row_number() OVER (ORDER BY paper_id) - 1)::INTEGER AS paper_key, paper_id, title, summary,
       {TEXT_HASH} AS text_hash
FROM papers WHERE paper_id BETWEEN $first AND $last
"""
FULL_COUNTS_SQL = counts_sql("incoming_rows", paper="paper_key")
CHANGED_COUNTS_SQL = counts_sql("(SELECT * FROM papers WHERE paper_id IN (SELECT paper_id FROM derived_changed WHERE NOT gone))")

# Papers numbered into chunks; a paper's terms are all counted within its own chunk.
# (first, last) paper_id and (first, last) paper_key of each chunk of papers, in paper_id order.
CHUNKS_SQL = """
SELECT min(paper_id), max(paper_id), min(paper_key)::INTEGER, max(paper_key)::INTEGER
FROM (SELECT paper_id, row_number() OVER (ORDER BY paper_id) - 1 AS paper_key FROM papers)
GROUP BY paper_key // $size ORDER BY min(paper_key)
"""

# One chunk's documents (every paper of it, with or without terms), right after its counts: a
# statement over every paper at once (numbering, hashing the text, summing every count) ran out of
# 96 MB at 10x (measured on main: the whole build was then redone under the next limit).
CHUNK_DOCUMENTS_SQL = """
INSERT INTO search_documents
SELECT p.paper_id, p.paper_key, coalesce(c.length, 0) AS length, p.text_hash
FROM incoming_rows AS p
LEFT JOIN (SELECT paper_key, sum(tf) AS length FROM derived_counts WHERE paper_key BETWEEN $first_key AND $last_key
           GROUP BY paper_key) AS c USING (paper_key)
"""

FULL_TERMS_SQL = "INSERT INTO search_terms SELECT term, count(*) AS df FROM derived_counts GROUP BY term ORDER BY term"

# (first, last) term of consecutive term ranges of about $rows postings each, in term order.
TERM_RANGES_SQL = """
SELECT min(term), max(term)
FROM (SELECT term, (sum(df) OVER (ORDER BY term) - 1) // $rows AS chunk FROM search_terms)
GROUP BY chunk ORDER BY chunk
"""

# Each term's rank in term order: the postings are sorted on integers, (term rank, paper_key),
# which is (term, paper_id) order in a full build (keys are numbered in paper_id order) and sorts
# in about half the time of the two strings (measured on a year's 2.5M postings).
TERM_RANKS_SQL = """
CREATE OR REPLACE TABLE derived_term_ranks AS
SELECT term, (row_number() OVER (ORDER BY term))::INTEGER AS term_rank FROM search_terms
"""

# One range of terms; ranges are inserted in term order, so the table ends up sorted by term and
# a query reads only its terms' row groups (search_papers_top).
FULL_POSTINGS_SQL = """
INSERT INTO search_postings
SELECT c.term, d.paper_id, c.paper_key, c.tf, d.length
FROM derived_counts AS c JOIN search_documents AS d USING (paper_key) JOIN derived_term_ranks AS r USING (term)
WHERE c.term BETWEEN $first AND $last
ORDER BY r.term_rank, c.paper_key
"""

STATS_SQL = """
INSERT INTO search_stats
SELECT $version, count(*) FILTER (WHERE length > 0), coalesce(sum(length), 0), count(*), 0
FROM search_documents
"""

# Papers whose index rows are out of date: new (no document), gone (no paper), edited (hash).
CHANGED_SQL = f"""
CREATE OR REPLACE TABLE derived_changed AS
SELECT coalesce(p.paper_id, d.paper_id) AS paper_id, p.paper_id IS NULL AS gone, p.text_hash,
       d.paper_key AS old_key, d.length AS old_length
FROM (SELECT paper_id, {TEXT_HASH} AS text_hash FROM papers) AS p
FULL JOIN search_documents AS d ON d.paper_id = p.paper_id
WHERE p.paper_id IS NULL OR d.paper_id IS NULL OR p.text_hash <> d.text_hash
"""

# CHANGED_SQL when only the days $days were loaded since the index was last current (see
# find_changed): new and edited papers can only be on those days; gone ones anywhere (a paper
# dropped from a day, or moved), found by paper_id alone, without reading any text.
CHANGED_IN_DAYS_SQL = f"""
CREATE OR REPLACE TABLE derived_changed AS
SELECT p.paper_id, false AS gone, p.text_hash, d.paper_key AS old_key, d.length AS old_length
FROM (SELECT paper_id, {TEXT_HASH} AS text_hash FROM papers WHERE listing_date = ANY($days)) AS p
LEFT JOIN search_documents AS d ON d.paper_id = p.paper_id
WHERE d.paper_id IS NULL OR p.text_hash <> d.text_hash
UNION ALL
SELECT d.paper_id, true AS gone, NULL AS text_hash, d.paper_key AS old_key, d.length AS old_length
FROM search_documents AS d
WHERE NOT EXISTS (SELECT 1 FROM papers AS p WHERE p.paper_id = d.paper_id)
"""

# Whether the days $days are the only ones loaded since the index was last brought up to date:
# every other day's load is at most the newest load it covered (search_loads_indexed).
ONLY_DAYS_LOADED_SINCE_SQL = """
SELECT (SELECT max(loaded_at) FROM search_loads_indexed) IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM partition_loads
    WHERE NOT listing_date = ANY($days) AND loaded_at > (SELECT max(loaded_at) FROM search_loads_indexed)
)
"""

# The old rows of edited and gone papers leave: their terms' df and the totals by deltas. Read
# by paper_key: an integer scan of the postings, several times cheaper than one by paper_id.
# Their postings are not deleted but their keys marked dead (search_dead_keys: why, there).
OLD_KEYS = "(SELECT old_key FROM derived_changed WHERE old_key IS NOT NULL)"
REMOVE_SQL = f"""
UPDATE search_terms SET df = search_terms.df - r.n
FROM (SELECT term, count(*) AS n FROM search_postings WHERE paper_key IN {OLD_KEYS} GROUP BY term) AS r
WHERE search_terms.term = r.term;
INSERT INTO search_dead_keys SELECT old_key FROM derived_changed WHERE old_key IS NOT NULL;
DELETE FROM search_documents WHERE paper_key IN {OLD_KEYS};
UPDATE search_stats SET
    papers = papers - (SELECT count(*) FROM derived_changed WHERE old_length > 0),
    total_length = total_length - (SELECT coalesce(sum(old_length), 0) FROM derived_changed);
"""

# The new rows of new and edited papers: each takes the next free number ($next, above every key
# ever given, dead ones included) in paper_id order.
ADD_DOCUMENTS_SQL = """
INSERT INTO search_documents
SELECT c.paper_id, ($next + row_number() OVER (ORDER BY c.paper_id) - 1)::INTEGER, coalesce(l.length, 0), c.text_hash
FROM derived_changed AS c
LEFT JOIN (SELECT paper_id, sum(tf) AS length FROM derived_counts GROUP BY paper_id) AS l USING (paper_id)
WHERE NOT c.gone
"""
ADD_SQL = """
INSERT INTO search_postings
SELECT c.term, c.paper_id, d.paper_key, c.tf, d.length
FROM derived_counts AS c
JOIN (SELECT * FROM search_documents WHERE paper_id IN (SELECT paper_id FROM derived_changed WHERE NOT gone)) AS d
    USING (paper_id)
ORDER BY c.term, c.paper_id;
UPDATE search_terms SET df = search_terms.df + r.n
FROM (SELECT term, count(*) AS n FROM derived_counts GROUP BY term) AS r
WHERE search_terms.term = r.term;
INSERT INTO search_terms
SELECT term, count(*) FROM derived_counts WHERE term NOT IN (SELECT term FROM search_terms) GROUP BY term ORDER BY term;
DELETE FROM search_terms WHERE df = 0;
UPDATE search_stats SET
    papers = papers + (SELECT count(*) FROM (SELECT DISTINCT paper_id FROM derived_counts)),
    total_length = total_length + (SELECT coalesce(sum(tf), 0) FROM derived_counts);
"""


def paper_tokens(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """(paper_id, term, title_occurrences, abstract_occurrences): term counts of every paper."""
    return con.sql(TOKENS_SQL).pl().cast(text_index.OCCURRENCES_SCHEMA)


class PaperChunk(NamedTuple):
    """Papers first_id..last_id, whose keys (in a full build) are first_key..last_key."""

    first_id: str
    last_id: str
    first_key: int
    last_key: int


def paper_chunks(con: duckdb.DuckDBPyConnection) -> list[PaperChunk]:
    """Chunks of TOKEN_CHUNK_PAPERS papers, in paper_id order."""
    return [PaperChunk(*row) for row in con.execute(CHUNKS_SQL, {"size": TOKEN_CHUNK_PAPERS}).fetchall()]


def build_all(con: duckdb.DuckDBPyConnection, chunks: list[PaperChunk], version: int) -> None:
    """Fill the (empty) search tables from every paper, leaving the term counts in the work table
    derived_counts (paper_key, term, tf) for similar papers."""
    con.execute(FULL_WORK_COUNTS_DDL)
    for chunk in chunks:
        text = _chunk_text(con, chunk)
        execute_with_rows(con, FULL_COUNTS_SQL, text, {"title_weight": TITLE_WEIGHT})
        execute_with_rows(con, CHUNK_DOCUMENTS_SQL, text, {"first_key": chunk.first_key, "last_key": chunk.last_key})
    con.execute(FULL_TERMS_SQL)
    con.execute(TERM_RANKS_SQL)
    for first, last in con.execute(TERM_RANGES_SQL, {"rows": INDEX_CHUNK_POSTINGS}).fetchall():
        con.execute(FULL_POSTINGS_SQL, {"first": first, "last": last})
    con.execute("DROP TABLE derived_term_ranks")
    con.execute(STATS_SQL, {"version": version})


def _chunk_text(con: duckdb.DuckDBPyConnection, chunk: PaperChunk) -> pa.Table:
    """(paper_key, paper_id, title, summary, text_hash) of the chunk's papers, as Arrow batches of
    TOKEN_BATCH_PAPERS."""
    params = {"first": chunk.first_id, "last": chunk.last_id, "first_key": chunk.first_key}
    text = con.execute(CHUNK_TEXT_SQL, params).to_arrow_table()
    return pa.Table.from_batches(text.to_batches(max_chunksize=TOKEN_BATCH_PAPERS), schema=text.schema)


def find_changed(con: duckdb.DuckDBPyConnection, loaded_days: list[date] | None = None) -> tuple[int, int]:
    """Fill the work table derived_changed (paper_id, gone, text_hash, old_key, old_length) with
    the papers whose index rows are out of date; return (their number, papers indexed).

    Every paper's text is hashed (~1 s of CPU at 500k papers), unless `loaded_days` (a list,
    possibly empty) are the only days loaded since the index was last brought up to date: then
    only their papers are, since only a load changes a paper's text (a load run's update costs in
    proportion to its days, and the search step after it, with no day, hashes none).
    `loaded_days` None: hash every paper."""
    if loaded_days is not None and scalar(con, ONLY_DAYS_LOADED_SINCE_SQL, {"days": loaded_days}):
        con.execute(CHANGED_IN_DAYS_SQL, {"days": loaded_days})
    else:
        con.execute(CHANGED_SQL)
    return scalar(con, "SELECT count(*) FROM derived_changed"), scalar(con, "SELECT count(*) FROM search_documents")


def record_loads_indexed(con: duckdb.DuckDBPyConnection) -> None:
    """Record the newest load the index now covers (find_changed reads it)."""
    con.execute("DELETE FROM search_loads_indexed")
    con.execute("INSERT INTO search_loads_indexed SELECT max(loaded_at) FROM partition_loads")


def update_changed(con: duckdb.DuckDBPyConnection) -> bool:
    """Replace the rows of the papers in derived_changed (find_changed): remove the old ones, add
    the new ones, adjust df and the totals by the difference. Leaves their term counts in
    derived_counts. Returns whether rows were removed (edited or gone papers)."""
    next_key = scalar(
        con,
        "SELECT coalesce(greatest((SELECT max(paper_key) FROM search_documents), "
        "(SELECT max(paper_key) FROM search_dead_keys)) + 1, 0)",
    )
    removing = bool(scalar(con, f"SELECT count(*) FROM {OLD_KEYS}"))
    if removing:
        con.execute(REMOVE_SQL)
    con.execute(WORK_COUNTS_DDL)
    con.execute(CHANGED_COUNTS_SQL, {"title_weight": TITLE_WEIGHT})
    con.execute(ADD_DOCUMENTS_SQL, {"next": next_key})
    con.execute(ADD_SQL)
    return removing
