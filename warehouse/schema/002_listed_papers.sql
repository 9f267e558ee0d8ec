-- Papers read from saved Daily Papers pages (text copied from huggingface.co/papers).
-- One row per entry of an imported page; a page is imported once per content (content_sha256).
-- The API tables stay the source of truth: nothing here ever writes to `papers`.

CREATE TABLE IF NOT EXISTS listed_papers (
    source_file     VARCHAR NOT NULL,      -- file name the page was imported from (first import wins)
    content_sha256  VARCHAR NOT NULL,      -- sha256 of the page's non-blank lines, stripped: the import key
    position        INTEGER NOT NULL,      -- 1-based order on the page
    title           VARCHAR NOT NULL,      -- whitespace-normalised
    abstract        VARCHAR,               -- null only for a last entry cut off after its title
    author_count    INTEGER,               -- null when the page shows no "• N authors"
    listed_date     DATE,                  -- the date printed under the entry; year-less ones resolved
    upvotes         INTEGER,               -- the count printed after the date; null when none is shown
    organization    VARCHAR,               -- the organisation line as printed, e.g. 'HuggingFaceFW FineData'
    paper_id        VARCHAR,               -- matching papers.paper_id by normalised title, else null
    imported_at     TIMESTAMP NOT NULL,    -- UTC
    PRIMARY KEY (content_sha256, position)
);

-- Title folded for matching: lower case, every character that is not a letter or digit removed.
-- Must stay identical to transforms.listing.normalise_title (a test compares the two).
CREATE OR REPLACE MACRO normalise_title(title) AS
    lower(regexp_replace(title, '[^\p{L}\p{N}]+', '', 'g'));

-- listed_papers with paper_id worked out now, from the papers the warehouse holds now: a paper
-- loaded from the API after the page was imported links here at once. When several papers share
-- the normalised title, the one published closest to the entry's date wins (then the lowest id).
CREATE OR REPLACE VIEW listed_papers_linked AS
WITH candidates AS (
    SELECT
        l.content_sha256,
        l.position,
        p.paper_id,
        row_number() OVER (
            PARTITION BY l.content_sha256, l.position
            ORDER BY abs(date_diff('day', CAST(p.published_at AS DATE), l.listed_date)) NULLS LAST,
                     p.paper_id
        ) AS rank
    FROM listed_papers AS l
    JOIN papers AS p ON normalise_title(p.title) = normalise_title(l.title)
)
SELECT
    l.source_file, l.content_sha256, l.position, l.title, l.abstract, l.author_count,
    l.listed_date, l.upvotes, l.organization, c.paper_id, l.imported_at
FROM listed_papers AS l
LEFT JOIN candidates AS c
    ON c.content_sha256 = l.content_sha256 AND c.position = l.position AND c.rank = 1;
