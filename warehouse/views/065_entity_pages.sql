-- What an entity page shows first, cheap whatever the entity's size: its figures and papers per
-- month from aggregates, one page of its papers, one page of the people on its most recent papers.
-- kind is 'authors', 'organizations' or 'submitters', key an author id, an organisation slug or an
-- HF username (as in 060_entities.sql, whose macros give every row).

-- Grain: paper. paper_id, listing_date and upvotes of every paper of one entity: for an author from
-- author_papers (its integer key, no join to papers), else from papers.
CREATE OR REPLACE MACRO entity_paper_keys(kind, key) AS TABLE
SELECT paper_id, listing_date, upvotes FROM author_papers WHERE kind = 'authors' AND author_key = author_key(key)
UNION ALL
SELECT paper_id, listing_date, upvotes FROM papers WHERE kind = 'organizations' AND organization = key
UNION ALL
SELECT paper_id, listing_date, upvotes FROM papers WHERE kind = 'submitters' AND submitted_by = key;

-- Grain: one row. papers, upvotes, median_upvotes, first_listing_date, last_listing_date of one
-- entity, all time (papers 0 and NULLs for an entity without papers).
CREATE OR REPLACE MACRO entity_figures(kind, key) AS TABLE
SELECT count(*) AS papers, coalesce(sum(upvotes), 0) AS upvotes, median(upvotes) AS median_upvotes,
       min(listing_date) AS first_listing_date, max(listing_date) AS last_listing_date
FROM entity_paper_keys(kind, key);

-- Grain: calendar month with papers. month (its first day), papers, upvotes.
CREATE OR REPLACE MACRO entity_months(kind, key) AS TABLE
SELECT CAST(date_trunc('month', listing_date) AS DATE) AS month, count(*) AS papers, sum(upvotes) AS upvotes
FROM entity_paper_keys(kind, key)
GROUP BY ALL
ORDER BY month;

-- Grain: paper. Rows skip+1 .. skip+top_n of the entity's papers ranked most upvoted first (then
-- newest, then by id), with the columns of author_papers_of. Only those papers are read from
-- papers: joined on a few ids, DuckDB filters the scan of papers by them before it reads a title.
CREATE OR REPLACE MACRO entity_papers_ranked(kind, key, top_n, skip) AS TABLE
WITH shown AS MATERIALIZED (
    SELECT paper_id, listing_date, upvotes FROM entity_paper_keys(kind, key)
    ORDER BY upvotes DESC, listing_date DESC, paper_id
    LIMIT top_n OFFSET skip
)
SELECT p.paper_id, p.title, p.listing_date, p.upvotes, p.num_comments, p.organization,
       p.submitted_by, p.author_count, p.github_repo
FROM shown AS s
JOIN papers AS p USING (paper_id)
ORDER BY s.upvotes DESC, s.listing_date DESC, p.paper_id;

-- Grain: value of column `organization` or `submitted_by` (by_column) over the entity's papers:
-- value, papers, upvotes, last_listing_date, most papers first, the first top_n (NULL: all).
CREATE OR REPLACE MACRO entity_papers_by(kind, key, by_column, top_n) AS TABLE
WITH mine AS MATERIALIZED (SELECT paper_id FROM entity_paper_keys(kind, key))
SELECT CASE by_column WHEN 'organization' THEN p.organization ELSE p.submitted_by END AS value,
       count(*) AS papers, sum(p.upvotes) AS upvotes, max(p.listing_date) AS last_listing_date
FROM mine
JOIN papers AS p USING (paper_id)
WHERE value IS NOT NULL
GROUP BY value
ORDER BY papers DESC, upvotes DESC, value
LIMIT top_n;

-- Grain: author. The columns of people_of (for an author: the co-authors) counted on the entity's
-- `latest` most recent papers (NULL: all of them), plus people: how many there are in all. Rows
-- skip+1 .. skip+top_n by papers, then upvotes. Counting every co-author of a prolific author
-- means grouping millions of author slots at 10x history, while its latest papers are found in a few
-- days of author_papers, which DuckDB reads alone.
CREATE OR REPLACE MACRO people_on_latest(kind, key, latest, top_n, skip) AS TABLE
WITH chosen AS MATERIALIZED (
    SELECT paper_id, listing_date FROM entity_paper_keys(kind, key)
    ORDER BY listing_date DESC, paper_id DESC
    LIMIT latest
),
together AS MATERIALIZED (
    SELECT ap.author_key, count(*) AS papers, sum(ap.upvotes) AS upvotes, max(ap.listing_date) AS last_listing_date
    FROM author_papers AS ap
    WHERE ap.listing_date BETWEEN (SELECT min(listing_date) FROM chosen) AND (SELECT max(listing_date) FROM chosen)
      AND ap.paper_id IN (SELECT paper_id FROM chosen)
      AND (kind <> 'authors' OR ap.author_key <> author_key(key))
    GROUP BY ap.author_key
),
shown AS (
    SELECT * FROM together
    ORDER BY papers DESC, upvotes DESC, author_key
    LIMIT top_n OFFSET skip
)
SELECT a.author_id, a.name, a.hf_username, s.papers, s.upvotes, s.last_listing_date,
       (SELECT count(*) FROM together) AS people
FROM shown AS s
JOIN authors AS a USING (author_key)
ORDER BY s.papers DESC, s.upvotes DESC, s.author_key;
