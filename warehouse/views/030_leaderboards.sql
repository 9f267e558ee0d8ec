-- Leaderboards for a listing-date range. Bounds are inclusive; NULL means open-ended, so
-- author_leaderboard(NULL, NULL) covers everything. Dates may be given as DATE or 'YYYY-MM-DD'.
-- Upvotes are each paper's latest observed count. medians are interpolated (can be x.5).
-- Order: total_upvotes, then papers, descending; the key breaks ties. `rank` follows that order.

CREATE OR REPLACE MACRO papers_between(start_date, end_date) AS TABLE
SELECT *
FROM papers
WHERE (start_date IS NULL OR listing_date >= CAST(start_date AS DATE))
  AND (end_date   IS NULL OR listing_date <= CAST(end_date AS DATE));

-- The author slots of those papers (paper_authors.listing_date is its paper's listing date):
-- filtering on the date lets DuckDB skip other days' rows instead of joining all of them.
CREATE OR REPLACE MACRO paper_authors_between(start_date, end_date) AS TABLE
SELECT *
FROM paper_authors
WHERE (start_date IS NULL OR listing_date >= CAST(start_date AS DATE))
  AND (end_date   IS NULL OR listing_date <= CAST(end_date AS DATE));

-- Grain: author_id (identity from ingest: claimed HF username first, else normalised name).
-- An author listed twice on one paper (near-duplicate names) counts that paper once.
CREATE OR REPLACE MACRO author_papers_between(start_date, end_date) AS TABLE
SELECT DISTINCT pa.author_id, p.paper_id, p.upvotes, p.listing_date
FROM papers_between(start_date, end_date) AS p
JOIN paper_authors_between(start_date, end_date) AS pa ON pa.paper_id = p.paper_id;

-- author_ranking_top(start_date, end_date, top_n): the author leaderboard without co_authors,
-- its first top_n rows (NULL: all). The dashboard's board: ranking needs only each author's
-- count and sum, so a top-n sort picks the rows (a row_number over every author took twice as
-- long at 500k papers) and the median and dates are computed for those rows only.
CREATE OR REPLACE MACRO author_ranking_top(start_date, end_date, top_n) AS TABLE
WITH listed AS (
    SELECT * FROM author_papers_between(start_date, end_date)
),
ranked AS MATERIALIZED (
    SELECT author_id, count(*) AS papers, sum(upvotes) AS total_upvotes
    FROM listed
    GROUP BY author_id
    ORDER BY total_upvotes DESC, papers DESC, author_id
    LIMIT top_n
),
details AS (
    SELECT
        author_id,
        median(upvotes)     AS median_upvotes,
        min(listing_date)   AS first_listing_date,
        max(listing_date)   AS last_listing_date
    FROM listed SEMI JOIN ranked USING (author_id)
    GROUP BY author_id
)
SELECT
    row_number() OVER (ORDER BY r.total_upvotes DESC, r.papers DESC, r.author_id) AS rank,
    r.author_id,
    au.name,
    au.hf_username,
    r.papers,
    r.total_upvotes,
    d.median_upvotes,
    d.first_listing_date,
    d.last_listing_date
FROM ranked AS r
JOIN details AS d USING (author_id)
LEFT JOIN authors AS au USING (author_id)
ORDER BY rank;

-- author_co_authors(start_date, end_date, author_ids): for each author in the list with papers
-- in the range, co_authors = the distinct other authors on those papers.
-- Why it is split in two: a self-join of every author with every co-author grows with the
-- square of a paper's author count (a 300-author paper gives 90k pairs). An author with one
-- paper in the range has exactly that paper's other authors, counted per paper; only authors
-- with several papers need the union of their papers' author lists. Exact counts for the top
-- 500 of a busy month at 10x join ~1.9M pairs (~0.2 s), hence not part of the dashboard's board.
CREATE OR REPLACE MACRO author_co_authors(start_date, end_date, author_ids) AS TABLE
WITH papers_of AS MATERIALIZED (
    -- the given authors' papers in the range
    SELECT DISTINCT pa.author_id, pa.paper_id
    FROM paper_authors_between(start_date, end_date) AS pa
    SEMI JOIN papers_between(start_date, end_date) AS p ON p.paper_id = pa.paper_id
    WHERE pa.author_id IN (SELECT unnest(author_ids))
),
chosen AS MATERIALIZED (
    SELECT author_id, count(*) AS papers, min(paper_id) AS some_paper_id
    FROM papers_of
    GROUP BY author_id
),
slots AS MATERIALIZED (
    -- everyone listed on those papers, an author once per paper; author_no: a dense integer
    -- per author, so the co-author union hashes integers, not text
    SELECT paper_id, author_id, dense_rank() OVER (ORDER BY author_id) AS author_no
    FROM (SELECT DISTINCT paper_id, author_id FROM paper_authors_between(start_date, end_date)
          WHERE paper_id IN (SELECT paper_id FROM papers_of))
),
paper_sizes AS (
    SELECT paper_id, count(*) AS authors FROM slots
    WHERE paper_id IN (SELECT some_paper_id FROM chosen WHERE papers = 1)
    GROUP BY paper_id
),
multi_co AS (
    -- The author counts itself once in the union, hence the - 1.
    SELECT a.author_id, count(DISTINCT b.author_no) - 1 AS co_authors
    FROM slots AS a
    JOIN chosen AS c ON c.author_id = a.author_id AND c.papers > 1
    JOIN slots AS b ON b.paper_id = a.paper_id
    GROUP BY a.author_id
)
SELECT c.author_id,
       CASE WHEN c.papers = 1 THEN ps.authors - 1 ELSE m.co_authors END AS co_authors
FROM chosen AS c
LEFT JOIN paper_sizes AS ps ON ps.paper_id = c.some_paper_id
LEFT JOIN multi_co AS m USING (author_id);

-- author_leaderboard_top(start_date, end_date, top_n): author_ranking_top with co_authors.
CREATE OR REPLACE MACRO author_leaderboard_top(start_date, end_date, top_n) AS TABLE
WITH ranked AS MATERIALIZED (
    SELECT * FROM author_ranking_top(start_date, end_date, top_n)
)
SELECT r.*, coalesce(c.co_authors, 0) AS co_authors
FROM ranked AS r
LEFT JOIN author_co_authors(start_date, end_date, (SELECT list(author_id) FROM ranked)) AS c USING (author_id)
ORDER BY r.rank;

CREATE OR REPLACE MACRO author_leaderboard(start_date, end_date) AS TABLE
SELECT * FROM author_leaderboard_top(start_date, end_date, NULL);

-- Grain: organization (the HF organisation slug that claimed the paper; unclaimed papers are left out).
CREATE OR REPLACE MACRO organization_leaderboard(start_date, end_date) AS TABLE
WITH claimed AS (
    SELECT * FROM papers_between(start_date, end_date) WHERE organization IS NOT NULL
),
stats AS (
    SELECT
        organization,
        count(*)                      AS papers,
        sum(upvotes)                  AS total_upvotes,
        median(upvotes)               AS median_upvotes,
        min(listing_date)             AS first_listing_date,
        max(listing_date)             AS last_listing_date,
        count(DISTINCT submitted_by)  AS submitters
    FROM claimed
    GROUP BY organization
),
people AS (
    SELECT c.organization, count(DISTINCT pa.author_id) AS authors
    FROM claimed AS c
    JOIN paper_authors_between(start_date, end_date) AS pa ON pa.paper_id = c.paper_id
    GROUP BY c.organization
)
SELECT
    row_number() OVER (ORDER BY s.total_upvotes DESC, s.papers DESC, s.organization) AS rank,
    s.organization,
    o.fullname,
    s.papers,
    s.total_upvotes,
    s.median_upvotes,
    s.first_listing_date,
    s.last_listing_date,
    coalesce(people.authors, 0) AS authors,
    s.submitters
FROM stats AS s
LEFT JOIN organizations AS o USING (organization)
LEFT JOIN people USING (organization)
ORDER BY rank;

-- Grain: submitter (HF username that put the paper on Daily Papers; absent in the oldest era).
CREATE OR REPLACE MACRO submitter_leaderboard(start_date, end_date) AS TABLE
WITH submitted AS (
    SELECT * FROM papers_between(start_date, end_date) WHERE submitted_by IS NOT NULL
),
stats AS (
    SELECT
        submitted_by                  AS submitter,
        count(*)                      AS papers,
        sum(upvotes)                  AS total_upvotes,
        median(upvotes)               AS median_upvotes,
        min(listing_date)             AS first_listing_date,
        max(listing_date)             AS last_listing_date,
        count(DISTINCT organization)  AS organizations
    FROM submitted
    GROUP BY submitted_by
),
people AS (
    SELECT s.submitted_by AS submitter, count(DISTINCT pa.author_id) AS authors
    FROM submitted AS s
    JOIN paper_authors_between(start_date, end_date) AS pa ON pa.paper_id = s.paper_id
    GROUP BY s.submitted_by
)
SELECT
    row_number() OVER (ORDER BY s.total_upvotes DESC, s.papers DESC, s.submitter) AS rank,
    s.submitter,
    u.fullname,
    u.is_hf_staff,
    s.papers,
    s.total_upvotes,
    s.median_upvotes,
    s.first_listing_date,
    s.last_listing_date,
    s.organizations,
    coalesce(people.authors, 0) AS authors
FROM stats AS s
LEFT JOIN submitters AS u ON u.username = s.submitter
LEFT JOIN people USING (submitter)
ORDER BY rank;
