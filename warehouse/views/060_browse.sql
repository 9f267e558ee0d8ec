-- Browsing like huggingface.co/papers: a day, a week or a month of papers ranked by upvotes,
-- the papers trending now, and the calendar of loaded days (the dashboard's Browse, Trending and
-- Data health pages; any SQL user can call them too).

-- paper_cards_between(start_day, end_day): one row per paper listed in [start_day, end_day]
-- (inclusive), with what a paper card shows; most upvoted first (ties: newest listing, paper_id).
--   organization_name  the organisation's display name (organizations.fullname), NULL if unknown
--   first_authors      up to three [{author_id, name}] in listed order
CREATE OR REPLACE MACRO paper_cards_between(start_day, end_day) AS TABLE
WITH listed AS (
    SELECT * FROM papers
    WHERE listing_date BETWEEN CAST(start_day AS DATE) AND CAST(end_day AS DATE)
),
first_authors AS (
    -- pa.listing_date repeats the range so DuckDB skips the other days' author rows
    SELECT pa.paper_id,
           list({'author_id': pa.author_id, 'name': a.name} ORDER BY pa.position)[1:3] AS first_authors
    FROM paper_authors AS pa
    JOIN authors AS a USING (author_id)
    WHERE pa.listing_date BETWEEN CAST(start_day AS DATE) AND CAST(end_day AS DATE)
      AND pa.position <= 3
    GROUP BY pa.paper_id
)
SELECT
    p.paper_id, p.title, p.summary, p.listing_date, p.upvotes, p.num_comments, p.author_count,
    p.organization, o.fullname AS organization_name, p.submitted_by, p.github_repo, p.github_stars,
    p.project_page, p.thumbnail, p.ai_keywords, fa.first_authors
FROM listed AS p
LEFT JOIN organizations AS o USING (organization)
LEFT JOIN first_authors AS fa USING (paper_id)
ORDER BY p.upvotes DESC, p.listing_date DESC, p.paper_id;

-- paper_cards_top(start_day, end_day, top_n): the first top_n rows of paper_cards_between (the
-- same columns and order), reading the authors of those papers only. The dashboard shows 60
-- cards: over a month of the 10x history (15k papers, 44k first-author rows) the whole macro spent
-- ~80 ms, mostly in the ordered list() of every paper's first authors, then kept 60 rows. Kept
-- apart from paper_cards_between, which reads every paper anyway: this one with top_n NULL took
-- longer on the whole 10x month (best of 3: 285 against 242 ms, under load).
-- tests/warehouse/test_views_paper_cards_top.py compares both. `shown` is read twice: duckdb 1.5.5
-- stores a macro without a CTE's MATERIALIZED (see find_authors), so no keyword here claims otherwise;
-- its figures in docs/benchmark.md (query-10x) were measured on the stored macro.
CREATE OR REPLACE MACRO paper_cards_top(start_day, end_day, top_n) AS TABLE
WITH shown AS (
    SELECT paper_id FROM papers
    WHERE listing_date BETWEEN CAST(start_day AS DATE) AND CAST(end_day AS DATE)
    ORDER BY upvotes DESC, listing_date DESC, paper_id
    LIMIT top_n
),
listed AS (
    SELECT * FROM papers
    WHERE listing_date BETWEEN CAST(start_day AS DATE) AND CAST(end_day AS DATE)
      AND paper_id IN (SELECT paper_id FROM shown)
),
first_authors AS (
    SELECT pa.paper_id,
           list({'author_id': pa.author_id, 'name': a.name} ORDER BY pa.position)[1:3] AS first_authors
    FROM paper_authors AS pa
    JOIN authors AS a USING (author_id)
    WHERE pa.listing_date BETWEEN CAST(start_day AS DATE) AND CAST(end_day AS DATE)
      AND pa.position <= 3
      AND pa.paper_id IN (SELECT paper_id FROM shown)
    GROUP BY pa.paper_id
)
SELECT
    p.paper_id, p.title, p.summary, p.listing_date, p.upvotes, p.num_comments, p.author_count,
    p.organization, o.fullname AS organization_name, p.submitted_by, p.github_repo, p.github_stars,
    p.project_page, p.thumbnail, p.ai_keywords, fa.first_authors
FROM listed AS p
LEFT JOIN organizations AS o USING (organization)
LEFT JOIN first_authors AS fa USING (paper_id)
ORDER BY p.upvotes DESC, p.listing_date DESC, p.paper_id;

-- adjacent_listing_days(day): the nearest listing days before and after `day` that have papers
-- (NULL at either end): what "previous day" and "next day" step to, skipping empty days.
CREATE OR REPLACE MACRO adjacent_listing_days(day) AS TABLE
SELECT
    (SELECT max(listing_date) FROM papers WHERE listing_date < CAST(day AS DATE)) AS previous_day,
    (SELECT min(listing_date) FROM papers WHERE listing_date > CAST(day AS DATE)) AS next_day;

-- trending_papers(n_days, gain_days): papers listed in the n_days ending on the newest listing day,
-- hottest first (ties: upvotes, then paper_id). As of votes_as_of (020_paper_velocity.sql):
--   hotness          hotness(upvotes, listing_date, as_of), the Hacker News gravity form
--   upvotes_gained   upvotes gained over the last gain_days of vote history: the latest count minus
--                    the last count observed at or before as_of - gain_days; a paper listed after
--                    that time had 0 then. NULL when unknown (no observation that old).
--   observations     vote observations of the paper in those gain_days
--
-- trending_papers_top(n_days, gain_days, top_n): the first top_n rows of trending_papers (NULL:
-- all; trending_papers is defined through it, below), reading the first authors of those papers
-- only: the dashboard shows 500 of the 10x history's 3,500 papers of a week, and the ordered list()
-- of every paper's first authors took much of the macro's time (41-76 -> 27-33 ms, under load).
CREATE OR REPLACE MACRO trending_papers_top(n_days, gain_days, top_n) AS TABLE
WITH bounds AS (
    SELECT (SELECT max(listing_date) FROM papers) - (CAST(n_days AS INTEGER) - 1) AS first_day,
           a.as_of,
           a.as_of - to_days(CAST(gain_days AS INTEGER)) AS since
    FROM votes_as_of AS a
),
recent AS (
    SELECT p.* FROM papers AS p, bounds AS b WHERE p.listing_date >= b.first_day
    ORDER BY hotness(p.upvotes, p.listing_date, b.as_of) DESC NULLS LAST, p.upvotes DESC, p.paper_id
    LIMIT top_n
),
history AS (
    SELECT v.paper_id,
           arg_max(v.upvotes, v.observed_at) FILTER (WHERE v.observed_at <= b.since) AS upvotes_at_start,
           count(*) FILTER (WHERE v.observed_at > b.since) AS observations
    FROM votes AS v, bounds AS b
    WHERE v.listing_date >= b.first_day
    GROUP BY v.paper_id
),
first_authors AS (
    SELECT pa.paper_id,
           list({'author_id': pa.author_id, 'name': a.name} ORDER BY pa.position)[1:3] AS first_authors
    FROM paper_authors AS pa, bounds AS b, authors AS a
    WHERE a.author_id = pa.author_id AND pa.listing_date >= b.first_day AND pa.position <= 3
      AND pa.paper_id IN (SELECT paper_id FROM recent)
    GROUP BY pa.paper_id
)
SELECT
    row_number() OVER (ORDER BY hotness(p.upvotes, p.listing_date, b.as_of) DESC NULLS LAST,
                                p.upvotes DESC, p.paper_id) AS rank,
    p.paper_id, p.title, p.summary, p.listing_date, p.upvotes, p.num_comments, p.author_count,
    p.organization, o.fullname AS organization_name, p.submitted_by, p.github_repo, p.github_stars,
    p.project_page, p.thumbnail, p.ai_keywords, fa.first_authors,
    hotness(p.upvotes, p.listing_date, b.as_of) AS hotness,
    p.upvotes - coalesce(h.upvotes_at_start,
                         CASE WHEN CAST(p.listing_date AS TIMESTAMP) > b.since THEN 0 END) AS upvotes_gained,
    coalesce(h.observations, 0) AS observations
FROM recent AS p
CROSS JOIN bounds AS b
LEFT JOIN history AS h USING (paper_id)
LEFT JOIN first_authors AS fa USING (paper_id)
LEFT JOIN organizations AS o USING (organization)
ORDER BY rank;

CREATE OR REPLACE MACRO trending_papers(n_days, gain_days) AS TABLE
SELECT * FROM trending_papers_top(n_days, gain_days, NULL);

-- load_calendar: one row per calendar day from the first to the last loaded listing day, with its
-- status for the Data health heatmap:
--   'loaded'       a partition was loaded and nothing was quarantined
--   'quarantined'  a partition was loaded, but some records could not be read
--   'missing'      no partition was loaded for the day
CREATE OR REPLACE VIEW load_calendar AS
WITH days AS (
    SELECT CAST(d AS DATE) AS listing_date
    FROM (SELECT min(listing_date) AS lo, max(listing_date) AS hi FROM partition_loads) AS b,
         generate_series(b.lo, b.hi, INTERVAL 1 DAY) AS g(d)
)
SELECT
    d.listing_date,
    CASE WHEN l.listing_date IS NULL THEN 'missing'
         WHEN l.quarantined > 0 THEN 'quarantined'
         ELSE 'loaded' END AS status,
    coalesce(l.loaded_papers, 0) AS papers,
    coalesce(l.quarantined, 0) AS quarantined,
    l.loaded_at
FROM days AS d
LEFT JOIN partition_loads AS l USING (listing_date)
ORDER BY d.listing_date;
