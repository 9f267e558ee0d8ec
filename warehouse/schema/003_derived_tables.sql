-- Tables derived from `papers` by warehouse.derived.update_derived_tables (once per search step,
-- before the publish). No primary keys: the update guarantees uniqueness, and index upkeep would
-- triple the time of a full build.
--
-- The search index stores only what does not depend on the rest of the corpus, so that a paper
-- added, edited or removed changes its own rows and a few counts, never every row: BM25 is
-- computed when a query reads it (the view search_index and search_papers_top() in
-- warehouse/views/050_search.sql, the dashboard's search in dashboard/search_ranking.py).

-- One row per (term, paper): how often the term occurs (a title occurrence counts 3, see
-- warehouse/search_postings.py) and the paper's length (the sum of its tf), stored in term order
-- by a full build; an update appends the postings of new and edited papers.
CREATE TABLE IF NOT EXISTS search_postings (
    term            VARCHAR NOT NULL,      -- a token as text_terms() makes it
    paper_id        VARCHAR NOT NULL,
    paper_key       INTEGER NOT NULL,      -- search_documents.paper_key of the paper
    tf              DOUBLE NOT NULL,       -- 3 x title occurrences + abstract occurrences
    length          DOUBLE NOT NULL        -- the paper's sum of tf over its terms
);

-- Keys of papers removed or edited since the last full build: their postings stay in
-- search_postings (deleting rows spread over every row group of a 67M-row table made each later
-- CHECKPOINT of duckdb 1.5.5 read ~800 MB, and fail under the writer's 128 MB) and every reader
-- leaves them out. A full build empties it.
CREATE TABLE IF NOT EXISTS search_dead_keys (
    paper_key       INTEGER NOT NULL
);

-- One row per paper indexed (every paper of `papers`, with or without terms).
CREATE TABLE IF NOT EXISTS search_documents (
    paper_id        VARCHAR NOT NULL,
    paper_key       INTEGER NOT NULL,      -- a full build numbers the papers 0.. by paper_id; an update
                                           -- gives papers added or edited later the next numbers
    length          DOUBLE NOT NULL,       -- sum of tf (0: no term)
    text_hash       UBIGINT NOT NULL       -- hash(title, summary) when indexed: an edit changes it
);

-- One row per term: the number of papers it occurs in (kept by deltas).
CREATE TABLE IF NOT EXISTS search_terms (
    term            VARCHAR NOT NULL,
    df              BIGINT NOT NULL
);

-- One row: the corpus figures BM25 needs, and the bookkeeping of similar_papers.
CREATE TABLE IF NOT EXISTS search_stats (
    format_version          INTEGER NOT NULL,  -- warehouse.derived.FORMAT_VERSION that built it
    papers                  BIGINT NOT NULL,   -- papers with at least one term (BM25's N)
    total_length            DOUBLE NOT NULL,   -- sum of their lengths (mean length = total / N)
    similar_full_papers     BIGINT NOT NULL,   -- papers when similar_papers was last computed whole
    similar_changed_papers  BIGINT NOT NULL    -- papers added, edited or removed since then
);

-- One row: partition_loads.loaded_at of the newest load the index covered when it was last brought up to
-- date. A load run whose days are the only ones loaded since looks for edited papers among its own days
-- (warehouse/search_postings.py find_changed), not by hashing every paper's text.
CREATE TABLE IF NOT EXISTS search_loads_indexed (
    loaded_at       TIMESTAMP              -- NULL: no load was indexed
);

-- Nearest neighbours by TF-IDF cosine over title and abstract: the top 5 per paper.
CREATE TABLE IF NOT EXISTS similar_papers (
    paper_id          VARCHAR NOT NULL,
    similar_paper_id  VARCHAR NOT NULL,
    rank              INTEGER NOT NULL,    -- 1 = most similar
    score             DOUBLE NOT NULL      -- cosine similarity in (0, 1]
);

-- The pruned TF-IDF vectors the neighbours are scored on (a paper's 20 heaviest terms, then a
-- term's 50 heaviest papers), kept so that new papers get neighbours without recomputing all.
CREATE TABLE IF NOT EXISTS similar_postings (
    paper_id        VARCHAR NOT NULL,
    term            VARCHAR NOT NULL,
    weight          DOUBLE NOT NULL        -- L2-normalised TF-IDF weight when computed
);
