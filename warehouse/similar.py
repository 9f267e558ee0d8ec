"""similar_papers: each paper's nearest papers by TF-IDF cosine, computed whole or updated.

A TF-IDF weight depends on the number of papers and on each term's document frequency, so one new
paper changes every paper's vector: the neighbours cannot be both incremental and exact. They are
computed whole (exact under the pruning of transforms/text_index.nearest_neighbours) at every full
build of the search index, and again once the papers added, edited or removed since the last whole
computation pass SIMILAR_FULL_SHARE of the papers it covered (kept in search_stats). In between, an
update scores only the new and edited papers, and the papers whose neighbour was edited or
removed, against the pruned vectors stored by the last computation (similar_postings), with their
own vectors weighted by the current corpus; the new vectors join the stored ones, so later papers
can find them. Other papers keep their neighbours until the next whole computation (a new paper
can be closer to them than one they list).
"""

from __future__ import annotations

import duckdb
import polars as pl

from transforms import text_index
from warehouse.db import execute_with_rows, scalar

SIMILAR_PER_PAPER = 5
TERMS_PER_PAPER = 20
PAPERS_PER_TERM = 50
NEIGHBOUR_CHUNK_PAPERS = 500  # papers scored per step: ~ chunk x 20 x 50 products in memory
SIMILAR_INSERT_ROWS = 100_000  # neighbours (20,000 papers' top 5) written per statement
KEY_CHUNK_PAPERS = 4_000  # papers weighed per statement when reading search_postings
SIMILAR_FULL_SHARE = 0.10  # changed papers, as a share of the last whole computation's, that trigger another

# tfidf_vectors, then nearest_neighbours' pruning: terms in one paper dropped, a paper's
# heaviest terms kept (per chunk of papers), then a term's heaviest papers; ties keep the
# smaller term / paper_id. {counts}: rows (paper_id, term, tf) of the papers to weigh.
# row_number() rather than min_by(.., $terms) per paper: min_by gave the same rows with a quarter
# less CPU on a 1x year, but it ran out of the first rebuild limit (96 MB) in 2 of 7 builds there
# (measured), and a build that runs out is run again whole under the next limit.
TOP_TERMS_TEMPLATE = """
INSERT INTO derived_top_terms
WITH raw AS (SELECT c.paper_id, c.term, d.df, (1.0 + ln(c.tf)) * ln($n_docs / d.df) AS raw_weight
             FROM {counts} AS c JOIN search_terms AS d USING (term)),
     norms AS (SELECT paper_id, sqrt(sum(raw_weight * raw_weight)) AS norm FROM raw GROUP BY paper_id),
     vectors AS (SELECT r.paper_id, r.term, r.raw_weight / o.norm AS weight
                 FROM raw r JOIN norms o USING (paper_id)
                 WHERE r.df >= 2 AND o.norm > 0 AND r.raw_weight > 0)
SELECT * FROM vectors
QUALIFY row_number() OVER (PARTITION BY paper_id ORDER BY weight DESC, term) <= $terms
"""
TOP_TERMS_OF_CHUNK_SQL = TOP_TERMS_TEMPLATE.format(
    counts="(SELECT d.paper_id, c.term, c.tf FROM derived_counts AS c JOIN search_documents AS d USING (paper_key) "
    "WHERE c.paper_key BETWEEN $first AND $last)"
)
TOP_TERMS_OF_KEYS_SQL = TOP_TERMS_TEMPLATE.format(
    counts="(SELECT paper_id, term, tf FROM search_postings WHERE paper_key BETWEEN $first AND $last "
    "AND paper_key NOT IN (SELECT paper_key FROM search_dead_keys))"
)
# The BETWEEN on the changed papers' keys lets DuckDB skip the row groups of a full build (sorted
# by term, every key range in each) when the changed papers are new ones: their postings were
# appended with keys above all others.
TOP_TERMS_OF_CHANGED_SQL = TOP_TERMS_TEMPLATE.format(
    counts="(SELECT paper_id, term, tf FROM search_postings WHERE paper_key BETWEEN $first AND $last AND paper_key IN "
    "(SELECT paper_key FROM derived_changed_keys))"
)
CHANGED_KEYS_SQL = """
CREATE OR REPLACE TABLE derived_changed_keys AS
SELECT paper_key FROM search_documents WHERE paper_id IN (SELECT paper_id FROM derived_changed WHERE NOT gone)
"""
TOP_TERMS_DDL = "CREATE OR REPLACE TABLE derived_top_terms (paper_id VARCHAR, term VARCHAR, weight DOUBLE)"

KEY_RANGES_SQL = """
SELECT min(paper_key), max(paper_key)
FROM (SELECT paper_key, (row_number() OVER (ORDER BY paper_key) - 1) // $size AS chunk FROM search_documents)
GROUP BY chunk ORDER BY chunk
"""

POSTINGS_SQL = """
INSERT INTO similar_postings
SELECT paper_id, term, weight FROM derived_top_terms
QUALIFY row_number() OVER (PARTITION BY term ORDER BY weight DESC, paper_id) <= $papers
"""

CODES_SQL = """
CREATE OR REPLACE TABLE derived_paper_codes AS
SELECT paper_id, (row_number() OVER (ORDER BY paper_id) - 1)::UINTEGER AS paper_code
FROM (SELECT DISTINCT paper_id FROM similar_postings);
CREATE OR REPLACE TABLE derived_term_codes AS
SELECT term, (row_number() OVER (ORDER BY term) - 1)::UINTEGER AS term_code
FROM (SELECT DISTINCT term FROM similar_postings);
"""

CODED_POSTINGS_SQL = """
SELECT p.paper_code, t.term_code, d.weight
FROM similar_postings d JOIN derived_paper_codes p USING (paper_id) JOIN derived_term_codes t USING (term)
"""

SIMILAR_SQL = """
INSERT INTO similar_papers BY NAME
SELECT a.paper_id, b.paper_id AS similar_paper_id, n.rank, n.score
FROM incoming_rows n   -- the neighbours Polars scored
JOIN derived_paper_codes a ON a.paper_code = n.paper_code
JOIN derived_paper_codes b ON b.paper_code = n.other_code
"""

# The papers to score again: new and edited ones, and those listing an edited or removed one.
RESCORED_SQL = """
CREATE OR REPLACE TABLE derived_rescored AS
SELECT paper_id FROM derived_changed WHERE NOT gone
UNION
SELECT paper_id FROM similar_papers WHERE similar_paper_id IN (SELECT paper_id FROM derived_changed)
EXCEPT
SELECT paper_id FROM derived_changed WHERE gone;
DELETE FROM similar_papers
WHERE paper_id IN (SELECT paper_id FROM derived_changed) OR paper_id IN (SELECT paper_id FROM derived_rescored);
DELETE FROM similar_postings WHERE paper_id IN (SELECT paper_id FROM derived_changed);
"""

# The new vectors join the stored ones; each term touched keeps its $papers heaviest papers.
MERGE_POSTINGS_SQL = """
CREATE OR REPLACE TABLE derived_merged AS
SELECT * FROM (
    SELECT paper_id, term, weight FROM similar_postings WHERE term IN (SELECT term FROM derived_top_terms)
    UNION ALL
    SELECT paper_id, term, weight FROM derived_top_terms
)
QUALIFY row_number() OVER (PARTITION BY term ORDER BY weight DESC, paper_id) <= $papers
"""
REPLACE_POSTINGS_SQL = """
DELETE FROM similar_postings WHERE term IN (SELECT term FROM derived_top_terms);
INSERT INTO similar_postings SELECT * FROM derived_merged;
"""

# Dot products over the shared stored terms, the $k best per paper (ties: smaller id first), as
# neighbours_of_postings scores them.
RESCORE_SQL = """
INSERT INTO similar_papers BY NAME
SELECT paper_id, similar_paper_id, rank, score FROM (
    SELECT *, row_number() OVER (PARTITION BY paper_id ORDER BY score DESC, similar_paper_id)::INTEGER AS rank
    FROM (
        SELECT a.paper_id, b.paper_id AS similar_paper_id, sum(a.weight * b.weight) AS score
        FROM similar_postings AS a JOIN similar_postings AS b ON a.term = b.term AND a.paper_id <> b.paper_id
        WHERE a.paper_id IN (SELECT paper_id FROM derived_rescored)
        GROUP BY ALL
    )
)
WHERE rank <= $k
"""

WORK_TABLES = (
    "derived_top_terms",
    "derived_paper_codes",
    "derived_term_codes",
    "derived_rescored",
    "derived_merged",
    "derived_changed_keys",
)


def compute_all(con: duckdb.DuckDBPyConnection, chunks: list[tuple[int, int]] | None = None) -> None:
    """Fill the (empty) similar_papers and similar_postings from every paper's vector. `chunks`:
    (first, last) paper_key ranges of the work table derived_counts (a full build has it); None
    reads the term counts from search_postings instead."""
    n_docs = float(scalar(con, "SELECT papers FROM search_stats"))
    con.execute(TOP_TERMS_DDL)
    if chunks is not None:
        for first, last in chunks:
            con.execute(TOP_TERMS_OF_CHUNK_SQL, {"terms": TERMS_PER_PAPER, "n_docs": n_docs, "first": first, "last": last})
        con.execute("DROP TABLE derived_counts")  # done with: free DuckDB's memory before Polars scores the pairs
    else:
        for first, last in con.execute(KEY_RANGES_SQL, {"size": KEY_CHUNK_PAPERS}).fetchall():
            con.execute(TOP_TERMS_OF_KEYS_SQL, {"terms": TERMS_PER_PAPER, "n_docs": n_docs, "first": first, "last": last})
    con.execute(POSTINGS_SQL, {"papers": PAPERS_PER_TERM})
    con.execute(CODES_SQL)
    postings = con.sql(CODED_POSTINGS_SQL).pl().cast({"paper_code": pl.UInt32, "term_code": pl.UInt32, "weight": pl.Float64})
    neighbours = text_index.neighbours_of_postings(postings, k=SIMILAR_PER_PAPER, chunk_papers=NEIGHBOUR_CHUNK_PAPERS)
    del postings
    # In slices of papers: one statement joining every neighbour to the paper codes twice ran out
    # of the first rebuild limit (96 MB) at 10x, the build's last statement (measured).
    for start in range(0, len(neighbours), SIMILAR_INSERT_ROWS):
        execute_with_rows(con, SIMILAR_SQL, neighbours.slice(start, SIMILAR_INSERT_ROWS))
    con.execute(
        "UPDATE search_stats SET similar_full_papers = (SELECT count(*) FROM search_documents), similar_changed_papers = 0"
    )
    _drop_work_tables(con)


def recomputes_all(con: duckdb.DuckDBPyConnection, changed: int) -> bool:
    """Whether `update` with `changed` papers will compute similar_papers whole: the changes since
    the last whole computation pass SIMILAR_FULL_SHARE of its papers."""
    [(full_papers, changed_before)] = con.execute(
        "SELECT similar_full_papers, similar_changed_papers FROM search_stats"
    ).fetchall()
    return changed_before + changed > SIMILAR_FULL_SHARE * full_papers


def update(con: duckdb.DuckDBPyConnection, changed: int) -> str:
    """Bring similar_papers up to date after search_postings.update_changed (its derived_changed
    lists the `changed` papers): whole when recomputes_all, else for the papers concerned.
    Returns "full" or "incremental"."""
    if recomputes_all(con, changed):
        con.execute("DELETE FROM similar_papers")
        con.execute("DELETE FROM similar_postings")
        compute_all(con)
        return "full"
    n_docs = float(scalar(con, "SELECT papers FROM search_stats"))
    con.execute(RESCORED_SQL)
    con.execute(TOP_TERMS_DDL)
    con.execute(CHANGED_KEYS_SQL)
    first, last = con.execute("SELECT min(paper_key), max(paper_key) FROM derived_changed_keys").fetchall()[0]
    con.execute(TOP_TERMS_OF_CHANGED_SQL, {"terms": TERMS_PER_PAPER, "n_docs": n_docs, "first": first, "last": last})
    con.execute(MERGE_POSTINGS_SQL, {"papers": PAPERS_PER_TERM})
    con.execute(REPLACE_POSTINGS_SQL)
    con.execute(RESCORE_SQL, {"k": SIMILAR_PER_PAPER})
    con.execute("UPDATE search_stats SET similar_changed_papers = similar_changed_papers + $n", {"n": changed})
    _drop_work_tables(con)
    return "incremental"


def _drop_work_tables(con: duckdb.DuckDBPyConnection) -> None:
    for table in WORK_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {table}")
