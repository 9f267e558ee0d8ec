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

-- Grain: (author, paper), from the author_papers table the load keeps (an author listed twice on
-- one paper counts that paper once): listing_date, author_key, author_id, paper_id, upvotes.
CREATE OR REPLACE MACRO author_papers_between(start_date, end_date) AS TABLE
SELECT *
FROM author_papers
WHERE (start_date IS NULL OR listing_date >= CAST(start_date AS DATE))
  AND (end_date   IS NULL OR listing_date <= CAST(end_date AS DATE));

-- author_ranking_top(start_date, end_date, top_n): the author leaderboard without co_authors,
-- its first top_n rows (NULL: all). The dashboard's board. Over 90 days at 10x today's volume
-- ~660k author papers fall in the range, so the ranking groups integer keys (author_key) with
-- count and sum only, keeps the authors at or above the top_n-th (total_upvotes, papers), and
-- computes median and dates for those only; names and ids are looked up by key (authors.author_key)
-- for the kept rows, whose ties author_id then orders.
CREATE OR REPLACE MACRO author_ranking_top(start_date, end_date, top_n) AS TABLE
WITH listed AS NOT MATERIALIZED (
    SELECT * FROM author_papers_between(start_date, end_date)
),
totals AS MATERIALIZED (
    SELECT author_key, count(*) AS papers, sum(upvotes) AS total_upvotes
    FROM listed
    GROUP BY author_key
),
cutoff AS (
    SELECT total_upvotes, papers FROM totals
    ORDER BY total_upvotes DESC, papers DESC
    LIMIT 1 OFFSET coalesce(top_n, 1) - 1
),
candidates AS (
    SELECT t.author_key FROM totals AS t
    LEFT JOIN cutoff AS c ON true
    WHERE top_n IS NULL OR c.papers IS NULL
       OR t.total_upvotes > c.total_upvotes
       OR (t.total_upvotes = c.total_upvotes AND t.papers >= c.papers)
),
details AS (
    SELECT
        author_key,
        count(*)            AS papers,
        sum(upvotes)        AS total_upvotes,
        median(upvotes)     AS median_upvotes,
        min(listing_date)   AS first_listing_date,
        max(listing_date)   AS last_listing_date
    FROM listed SEMI JOIN candidates USING (author_key)
    GROUP BY author_key
),
ranked AS (
    SELECT au.author_id, au.name, au.hf_username, d.* EXCLUDE (author_key)
    FROM details AS d
    JOIN authors AS au USING (author_key)
    ORDER BY d.total_upvotes DESC, d.papers DESC, au.author_id
    LIMIT top_n
)
SELECT
    row_number() OVER (ORDER BY total_upvotes DESC, papers DESC, author_id) AS rank,
    author_id,
    name,
    hf_username,
    papers,
    total_upvotes,
    median_upvotes,
    first_listing_date,
    last_listing_date
FROM ranked
ORDER BY rank;

-- author_co_authors(start_date, end_date, author_ids): for each author in the list with papers
-- in the range, co_authors = the distinct other authors on those papers.
-- Why it is split in two: a self-join of every author with every co-author grows with the
-- square of a paper's author count (a 300-author paper gives 90k pairs). An author with one
-- paper in the range has exactly that paper's other authors, counted per paper; only authors
-- with several papers need the union of their papers' author lists (of author_keys: integers
-- hash faster than text). Exact counts for the top 500 of a busy month at 10x join ~1.9M pairs
-- (~0.2 s), hence not part of the dashboard's board.
CREATE OR REPLACE MACRO author_co_authors(start_date, end_date, author_ids) AS TABLE
WITH wanted AS (
    SELECT DISTINCT author_id, author_key(author_id) AS author_key
    FROM (SELECT unnest(CAST(author_ids AS VARCHAR[])) AS author_id)
),
papers_of AS MATERIALIZED (
    -- the given authors' papers in the range, found by author_key (unique: asset check
    -- author_keys_unique): comparing the text ids of ~660k rows took longer than the rest
    SELECT w.author_id, ap.paper_id
    FROM author_papers_between(start_date, end_date) AS ap
    JOIN wanted AS w ON w.author_key = ap.author_key
),
chosen AS MATERIALIZED (
    SELECT author_id, count(*) AS papers, min(paper_id) AS some_paper_id
    FROM papers_of
    GROUP BY author_id
),
slots AS MATERIALIZED (
    -- everyone listed on those papers, once per paper
    SELECT paper_id, author_key
    FROM author_papers_between(start_date, end_date)
    WHERE paper_id IN (SELECT paper_id FROM papers_of)
),
paper_sizes AS (
    SELECT paper_id, count(*) AS authors FROM slots
    WHERE paper_id IN (SELECT some_paper_id FROM chosen WHERE papers = 1)
    GROUP BY paper_id
),
multi_co AS (
    -- The author counts itself once in the union, hence the - 1.
    SELECT c.author_id, count(DISTINCT s.author_key) - 1 AS co_authors
    FROM papers_of AS o
    JOIN chosen AS c ON c.author_id = o.author_id AND c.papers > 1
    JOIN slots AS s ON s.paper_id = o.paper_id
    GROUP BY c.author_id
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
-- organization_ranking_top(start_date, end_date, top_n): the board without its authors column,
-- its first top_n rows (NULL: all): what the dashboard shows. Counting the distinct authors of
-- every organisation reads every author of the range (~660k over 90 days at 10x).
CREATE OR REPLACE MACRO organization_ranking_top(start_date, end_date, top_n) AS TABLE
WITH stats AS (
    SELECT
        organization,
        count(*)                      AS papers,
        sum(upvotes)                  AS total_upvotes,
        median(upvotes)               AS median_upvotes,
        min(listing_date)             AS first_listing_date,
        max(listing_date)             AS last_listing_date,
        count(DISTINCT submitted_by)  AS submitters
    FROM papers_between(start_date, end_date)
    WHERE organization IS NOT NULL
    GROUP BY organization
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
    s.submitters
FROM stats AS s
LEFT JOIN organizations AS o USING (organization)
ORDER BY rank
LIMIT top_n;

CREATE OR REPLACE MACRO organization_leaderboard(start_date, end_date) AS TABLE
WITH people AS (
    SELECT p.organization, count(DISTINCT ap.author_id) AS authors
    FROM papers_between(start_date, end_date) AS p
    JOIN author_papers_between(start_date, end_date) AS ap ON ap.paper_id = p.paper_id
    WHERE p.organization IS NOT NULL
    GROUP BY p.organization
)
SELECT r.* EXCLUDE (submitters), coalesce(people.authors, 0) AS authors, r.submitters
FROM organization_ranking_top(start_date, end_date, NULL) AS r
LEFT JOIN people USING (organization)
ORDER BY r.rank;

-- Grain: submitter (HF username that put the paper on Daily Papers; absent in the oldest era).
-- submitter_ranking_top(start_date, end_date, top_n): as organization_ranking_top.
CREATE OR REPLACE MACRO submitter_ranking_top(start_date, end_date, top_n) AS TABLE
WITH stats AS (
    SELECT
        submitted_by                  AS submitter,
        count(*)                      AS papers,
        sum(upvotes)                  AS total_upvotes,
        median(upvotes)               AS median_upvotes,
        min(listing_date)             AS first_listing_date,
        max(listing_date)             AS last_listing_date,
        count(DISTINCT organization)  AS organizations
    FROM papers_between(start_date, end_date)
    WHERE submitted_by IS NOT NULL
    GROUP BY submitted_by
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
    s.organizations
FROM stats AS s
LEFT JOIN submitters AS u ON u.username = s.submitter
ORDER BY rank
LIMIT top_n;

CREATE OR REPLACE MACRO submitter_leaderboard(start_date, end_date) AS TABLE
WITH people AS (
    SELECT p.submitted_by AS submitter, count(DISTINCT ap.author_id) AS authors
    FROM papers_between(start_date, end_date) AS p
    JOIN author_papers_between(start_date, end_date) AS ap ON ap.paper_id = p.paper_id
    WHERE p.submitted_by IS NOT NULL
    GROUP BY p.submitted_by
)
SELECT r.*, coalesce(people.authors, 0) AS authors
FROM submitter_ranking_top(start_date, end_date, NULL) AS r
LEFT JOIN people USING (submitter)
ORDER BY r.rank;
