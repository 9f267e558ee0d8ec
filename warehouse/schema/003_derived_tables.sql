-- Tables derived from `papers` by warehouse.derived.rebuild_derived_tables (once per publish).
-- They are rebuilt whole, so they always describe the papers of the same snapshot. No primary
-- keys: the rebuild guarantees uniqueness, and index upkeep would triple the rebuild time.

-- Search index: one row per (term, paper) with the paper's BM25 score for that term over title
-- and abstract (title occurrences weighted, see warehouse/derived.py). search_papers() sums these.
CREATE TABLE IF NOT EXISTS search_index (
    term            VARCHAR NOT NULL,      -- a token as text_terms() makes it
    paper_id        VARCHAR NOT NULL,
    score           DOUBLE NOT NULL
);

-- Nearest neighbours by TF-IDF cosine over title and abstract: the top 5 per paper.
CREATE TABLE IF NOT EXISTS similar_papers (
    paper_id          VARCHAR NOT NULL,
    similar_paper_id  VARCHAR NOT NULL,
    rank              INTEGER NOT NULL,    -- 1 = most similar
    score             DOUBLE NOT NULL      -- cosine similarity in (0, 1]
);
