-- One row per (author, paper): the author slots of `paper_authors` with an author listed twice on a
-- paper counted once, and the paper's upvotes beside them. Kept current by the load for the days
-- it replaces (warehouse/author_papers.py), in the same transaction. The author leaderboards read
-- it instead of joining papers to paper_authors and de-duplicating on every query (~660k slots
-- over 90 days at 10x today's volume).

-- author_key(author_id): a 64-bit number for an author id (the first 16 hex digits of its md5),
-- so leaderboards group integers, not text. md5 rather than hash(): hash() may change with the
-- DuckDB version and the keys are stored. The key stands for the author in queries (an author's
-- rows and name are found by key alone), so it must be unique: two ids sharing one are improbable
-- (~5e-9 at 400k authors), and the asset check author_keys_unique fails if it ever happens.
CREATE OR REPLACE MACRO author_key(author_id) AS CAST('0x' || left(md5(author_id), 16) AS UBIGINT);

-- authors.author_key, for a warehouse made before it (warehouse/author_papers.py fills it)
ALTER TABLE authors ADD COLUMN IF NOT EXISTS author_key UBIGINT;
-- ... and authors.name_folded (fill_author_keys fills both)
ALTER TABLE authors ADD COLUMN IF NOT EXISTS name_folded VARCHAR;

CREATE TABLE IF NOT EXISTS author_papers (
    listing_date    DATE NOT NULL,         -- the paper's listing date
    author_key      UBIGINT NOT NULL,      -- author_key(author_id)
    author_id       VARCHAR NOT NULL,
    paper_id        VARCHAR NOT NULL,      -- key: (author_id, paper_id)
    upvotes         INTEGER NOT NULL       -- papers.upvotes
);
