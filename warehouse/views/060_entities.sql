-- One author, organisation or submitter over all time: what its dashboard page shows, also for
-- SQL users (SELECT * FROM author_papers_of('<author_id>')). No date range: an entity page shows
-- every paper, however old.

-- Grain: paper. Every paper of one author, found by its integer key in author_papers (an author
-- listed twice on one paper counts it once). The author's own first and last listing dates bound
-- the scan of papers, so DuckDB skips the days the author has no paper on.
CREATE OR REPLACE MACRO author_papers_of(wanted_author_id) AS TABLE
WITH mine AS MATERIALIZED (
    SELECT paper_id, listing_date FROM author_papers WHERE author_key = author_key(wanted_author_id)
)
SELECT p.paper_id, p.title, p.listing_date, p.upvotes, p.num_comments, p.organization,
       p.submitted_by, p.author_count, p.github_repo
FROM papers AS p
WHERE p.listing_date BETWEEN (SELECT min(listing_date) FROM mine) AND (SELECT max(listing_date) FROM mine)
  AND p.paper_id IN (SELECT paper_id FROM mine);

-- Grain: paper. Every paper an organisation claimed.
CREATE OR REPLACE MACRO organization_papers_of(slug) AS TABLE
SELECT paper_id, title, listing_date, upvotes, num_comments, organization, submitted_by, author_count, github_repo
FROM papers WHERE organization = slug;

-- Grain: paper. Every paper one HF user submitted to Daily Papers.
CREATE OR REPLACE MACRO submitter_papers_of(username) AS TABLE
SELECT paper_id, title, listing_date, upvotes, num_comments, organization, submitted_by, author_count, github_repo
FROM papers WHERE submitted_by = username;

-- people_of(kind, key, top_n): grain author. The people listed on the papers of one author ('authors',
-- the author left out: the co-authors), organisation ('organizations') or submitter ('submitters'),
-- with how many of those papers each is on, their upvotes and the last listing date; the first
-- top_n by papers then upvotes (NULL: all; ties at the cut are kept by author key, not name).
-- A semi join on the chosen paper ids: hashing them once and probing every author slot costs
-- ~0.2-0.35 s at 10x history for the most prolific entities (a list argument compared per slot
-- cost 1.5 s).
CREATE OR REPLACE MACRO people_of(kind, key, top_n) AS TABLE
WITH chosen AS MATERIALIZED (
    SELECT paper_id FROM author_papers WHERE kind = 'authors' AND author_key = author_key(key)
    UNION ALL
    SELECT paper_id FROM papers WHERE kind = 'organizations' AND organization = key
    UNION ALL
    SELECT paper_id FROM papers WHERE kind = 'submitters' AND submitted_by = key
),
together AS (
    SELECT ap.author_key, count(*) AS papers, sum(ap.upvotes) AS upvotes, max(ap.listing_date) AS last_listing_date
    FROM author_papers AS ap SEMI JOIN chosen USING (paper_id)
    WHERE kind <> 'authors' OR ap.author_key <> author_key(key)
    GROUP BY ap.author_key
    ORDER BY papers DESC, upvotes DESC, ap.author_key
    LIMIT top_n
)
SELECT a.author_id, a.name, a.hf_username, t.papers, t.upvotes, t.last_listing_date
FROM together AS t
JOIN authors AS a USING (author_key)
ORDER BY t.papers DESC, t.upvotes DESC, a.name, a.author_id;

-- find_authors(needle, top_n): grain author. Authors whose name contains every word of `needle`
-- (case and accents ignored), exact names first, then by papers. Only the first 1,000 matches by
-- name length get their papers counted: a two-letter needle matches most of the authors. Names
-- are matched folded as the load stored them (authors.name_folded), folded here only where not.
-- The matches are joined to their papers in one place: DuckDB 1.5.5 does not keep a CTE's
-- MATERIALIZED when it stores a macro (the published file's macros plan as if it were absent), so
-- matches referenced twice scanned and filtered the 10x history's 438k authors twice (~60 of ~70 ms).
CREATE OR REPLACE MACRO find_authors(needle, top_n) AS TABLE
WITH words AS (
    SELECT list_filter(string_split(lower(strip_accents(trim(needle))), ' '), lambda w: w <> '') AS ws,
           lower(strip_accents(trim(needle))) AS whole
),
folded AS (
    SELECT author_key, author_id, name, hf_username,
           coalesce(name_folded, lower(strip_accents(name))) AS name_folded
    FROM authors
),
matches AS (
    SELECT a.author_key, a.author_id, a.name, a.hf_username,
           a.name_folded = w.whole OR lower(a.hf_username) = w.whole AS exact
    FROM folded AS a, words AS w
    WHERE len(w.ws) > 0
      -- the first word alone first: a plain column filter, so the lambda runs on its matches only
      AND ((contains(a.name_folded, w.ws[1]) AND len(list_filter(w.ws, lambda x: NOT contains(a.name_folded, x))) = 0)
           OR lower(a.hf_username) = w.whole)
    ORDER BY exact DESC, length(a.name), a.author_id
    LIMIT 1000
),
counted AS (
    -- matches is read once here: a second reference computed it twice (see above)
    SELECT m.author_id, m.name, m.hf_username, m.exact, count(ap.author_key) AS papers,
           coalesce(sum(ap.upvotes), 0) AS total_upvotes, max(ap.listing_date) AS last_listing_date
    FROM matches AS m
    LEFT JOIN author_papers AS ap USING (author_key)
    GROUP BY m.author_key, m.author_id, m.name, m.hf_username, m.exact
)
SELECT author_id, name, hf_username, papers, total_upvotes, last_listing_date
FROM counted
ORDER BY exact DESC, papers DESC, total_upvotes DESC, name, author_id
LIMIT top_n;
