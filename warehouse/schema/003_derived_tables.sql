-- Tables derived from `papers` by warehouse.derived.rebuild_derived_tables (once per publish).
-- They are rebuilt whole, so they always describe the papers of the same snapshot. No primary
-- keys: the rebuild guarantees uniqueness, and index upkeep would triple the rebuild time.

-- Search index: one row per (term, paper) with the paper's BM25 score for that term over title
-- and abstract (title occurrences weighted, see warehouse/derived.py). search_papers() sums these.
CREATE TABLE IF NOT EXISTS search_index (
    term            VARCHAR NOT NULL,      -- a token as text_terms() makes it
    paper_id        VARCHAR NOT NULL,
    score           DOUBLE NOT NULL,
    paper_key       INTEGER                -- the paper's 0-based rank by paper_id in this index
);
-- paper_key lets a search sum scores per paper over integers (dashboard/search_ranking.py). An
-- index built before it existed lacks the column until its next rebuild re-creates the table
-- (ALTER TABLE on a 10x index runs out of the writer's memory); searches work either way.

-- Nearest neighbours by TF-IDF cosine over title and abstract: the top 5 per paper.
CREATE TABLE IF NOT EXISTS similar_papers (
    paper_id          VARCHAR NOT NULL,
    similar_paper_id  VARCHAR NOT NULL,
    rank              INTEGER NOT NULL,    -- 1 = most similar
    score             DOUBLE NOT NULL      -- cosine similarity in (0, 1]
);
