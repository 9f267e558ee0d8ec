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
-- co_authors: distinct other authors on the author's papers in the range.
-- An author listed twice on one paper (near-duplicate names) counts that paper once.
-- Why co_authors is split in two: a self-join of every author with every co-author grows with
-- the square of a paper's author count (a 300-author paper gives 90k pairs). An author with one
-- paper in the range has exactly that paper's other authors, counted per paper; only authors
-- with several papers need the union of their papers' author lists.
-- author_leaderboard_top(start_date, end_date, top_n): the same rows, only the first top_n
-- (NULL: all). Ranking needs no co-author counts, so they are counted for those rows only: the
-- dashboard shows the top 500, and counting them for every author took seconds at 500k papers.
CREATE OR REPLACE MACRO author_leaderboard_top(start_date, end_date, top_n) AS TABLE
WITH listed AS (
    SELECT DISTINCT pa.author_id, p.paper_id, p.upvotes, p.listing_date
    FROM papers_between(start_date, end_date) AS p
    JOIN paper_authors_between(start_date, end_date) AS pa ON pa.paper_id = p.paper_id
),
authored AS MATERIALIZED (
    -- author_no: a dense integer per author, so the co-author union hashes integers, not text.
    SELECT *, dense_rank() OVER (ORDER BY author_id) AS author_no FROM listed
),
stats AS MATERIALIZED (
    SELECT
        author_id,
        count(*)            AS papers,
        sum(upvotes)        AS total_upvotes,
        median(upvotes)     AS median_upvotes,
        min(listing_date)   AS first_listing_date,
        max(listing_date)   AS last_listing_date,
        min(paper_id)       AS some_paper_id,
        min(author_no)      AS author_no
    FROM authored
    GROUP BY author_id
),
ranked AS MATERIALIZED (
    SELECT *, row_number() OVER (ORDER BY total_upvotes DESC, papers DESC, author_id) AS rank
    FROM stats
    QUALIFY top_n IS NULL OR rank <= top_n
),
paper_sizes AS (
    SELECT paper_id, count(*) AS authors FROM authored
    WHERE paper_id IN (SELECT some_paper_id FROM ranked WHERE papers = 1)
    GROUP BY paper_id
),
multi_co AS (
    -- The author counts itself once in the union, hence the - 1.
    SELECT a.author_no, count(DISTINCT b.author_no) - 1 AS co_authors
    FROM authored AS a
    JOIN ranked AS s ON s.author_no = a.author_no AND s.papers > 1
    JOIN authored AS b ON b.paper_id = a.paper_id
    GROUP BY a.author_no
)
SELECT
    s.rank,
    s.author_id,
    au.name,
    au.hf_username,
    s.papers,
    s.total_upvotes,
    s.median_upvotes,
    s.first_listing_date,
    s.last_listing_date,
    CASE WHEN s.papers = 1 THEN ps.authors - 1 ELSE coalesce(m.co_authors, 0) END AS co_authors
FROM ranked AS s
LEFT JOIN authors AS au USING (author_id)
LEFT JOIN paper_sizes AS ps ON ps.paper_id = s.some_paper_id
LEFT JOIN multi_co AS m ON m.author_no = s.author_no
ORDER BY rank;

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
