-- Core tables of the Daily Papers warehouse. Timestamps are UTC (TIMESTAMP without zone).
-- Column names here are a public interface: the README documents them.
--
-- The keys of papers, paper_authors and votes are kept by the load (delete-then-insert of whole
-- days, in one transaction) and verified by asset checks after every load, not declared as
-- PRIMARY KEY: maintaining those indexes tripled the time of a year's load. The shared
-- dimensions keep their primary keys, which their upserts (ON CONFLICT) need.

CREATE TABLE IF NOT EXISTS papers (
    paper_id        VARCHAR NOT NULL,      -- key; HF / arXiv id, e.g. '2405.14979' (never parsed as a number)
    title           VARCHAR NOT NULL,      -- whitespace-normalised (older eras hard-wrap titles)
    summary         VARCHAR,               -- abstract, whitespace-normalised
    published_at    TIMESTAMP,             -- arXiv v1 time (paper.publishedAt)
    listing_date    DATE NOT NULL,         -- the Daily Papers day it was listed on (the partition)
    upvotes         INTEGER NOT NULL,      -- latest observed count
    num_comments    INTEGER,               -- latest observed count
    submitted_by    VARCHAR,               -- HF username of the submitter (absent in the oldest era)
    organization    VARCHAR,               -- HF organisation slug that claimed the paper
    github_repo     VARCHAR,
    github_stars    INTEGER,
    project_page    VARCHAR,
    ai_summary      VARCHAR,
    ai_keywords     VARCHAR[],             -- as given by HF; NULL when the API gave none
    discussion_id   VARCHAR,
    thumbnail       VARCHAR,
    author_count    INTEGER NOT NULL
    -- No fetch time here: a re-fetch that sees the same paper must not change its row. When a day
    -- was last fetched is in partition_loads.fetched_at; every fetch's counts are in votes.
);

CREATE TABLE IF NOT EXISTS authors (
    author_id       VARCHAR PRIMARY KEY,   -- stable: hash of 'hf:<username>' or 'name:<normalised name>'
    name            VARCHAR NOT NULL,      -- display name (as printed on the most recent paper)
    hf_username     VARCHAR,               -- set when the author claimed a paper on HF
    identity_key    VARCHAR NOT NULL,      -- what author_id hashes: 'hf:akhaliq' or 'name:yang shen'
    author_key      UBIGINT,               -- author_key(author_id) (005_author_papers.sql), set by the load
    name_folded     VARCHAR                -- lower(strip_accents(name)), what the author search matches; set by the load
);

CREATE TABLE IF NOT EXISTS paper_authors (
    paper_id        VARCHAR NOT NULL,
    author_id       VARCHAR NOT NULL,
    position        INTEGER NOT NULL,      -- 1-based slot in the listed author order
    name_as_listed  VARCHAR NOT NULL,
    listing_date    DATE NOT NULL          -- key: (paper_id, position)
);

CREATE TABLE IF NOT EXISTS votes (
    paper_id        VARCHAR NOT NULL,
    observed_at     TIMESTAMP NOT NULL,    -- fetched_at of the raw listing that showed this count
    upvotes         INTEGER NOT NULL,
    num_comments    INTEGER,
    listing_date    DATE NOT NULL          -- key: (paper_id, observed_at)
);

CREATE TABLE IF NOT EXISTS submitters (
    username        VARCHAR PRIMARY KEY,
    fullname        VARCHAR,
    avatar_url      VARCHAR,
    is_hf_staff     BOOLEAN,
    follower_count  INTEGER
);

CREATE TABLE IF NOT EXISTS organizations (
    organization    VARCHAR PRIMARY KEY,   -- slug, e.g. 'deepseek-ai'
    fullname        VARCHAR,
    avatar_url      VARCHAR
);

-- Records that could not be read. The rest of their day still loads.
CREATE TABLE IF NOT EXISTS quarantined_records (
    listing_date    DATE NOT NULL,
    fetched_at      TIMESTAMP NOT NULL,
    record_index    INTEGER NOT NULL,      -- 0-based position in the day's listing
    paper_id        VARCHAR,               -- when it could be read at all
    reason          VARCHAR NOT NULL,
    raw_record      VARCHAR NOT NULL       -- the record as JSON text, verbatim
);

-- One row per loaded partition: what the load saw, for health pages and checks.
CREATE TABLE IF NOT EXISTS partition_loads (
    listing_date    DATE PRIMARY KEY,
    fetched_at      TIMESTAMP NOT NULL,    -- the newest raw fetch the tables come from
    fetch_count     INTEGER NOT NULL,      -- raw fetches kept for this day (vote observations)
    raw_records     INTEGER NOT NULL,
    loaded_papers   INTEGER NOT NULL,
    quarantined     INTEGER NOT NULL,
    loaded_at       TIMESTAMP NOT NULL
);

-- Publish bookkeeping: one row per published snapshot.
CREATE TABLE IF NOT EXISTS publish_log (
    published_at    TIMESTAMP NOT NULL,
    run_id          VARCHAR,
    partitions      INTEGER NOT NULL,
    papers          BIGINT NOT NULL
);
