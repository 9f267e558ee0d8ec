-- Vote velocity from the `votes` observations (one row per paper per fetch).
--
-- Time basis: a paper's age counts from the start of its listing day (listing_date 00:00 UTC)
-- to the warehouse's "as of" time, the newest observed_at in `votes` (not the wall clock, so a
-- published snapshot always answers the same). Age is never negative.
CREATE OR REPLACE VIEW votes_as_of AS
SELECT max(observed_at) AS as_of FROM votes;

-- Grain: paper (every paper with at least one vote observation).
--   upvotes_per_day  (latest - first observed count) / days between first and last observation;
--                    NULL with a single observation (a backfill sees one count, not a rate).
--   hours_to_50pct / hours_to_90pct
--                    hours from listing start until the count first reached 50 % / 90 % of the
--                    latest count, interpolated linearly between the two observations around the
--                    crossing. NULL when unknown: a single observation, a latest count of 0, or
--                    a count already at the threshold on the first observation (it may have got
--                    there at any earlier time).
--   hotness          latest_upvotes / (age_hours + 2) ^ 1.5 (the Hacker News gravity form).
-- age_hours(listing_date, as_of) and hotness(upvotes, listing_date, as_of), as defined above.
CREATE OR REPLACE MACRO age_hours(listing_date, as_of) AS
greatest(epoch(as_of) - epoch(CAST(listing_date AS TIMESTAMP)), 0) / 3600.0;

CREATE OR REPLACE MACRO hotness(upvotes, listing_date, as_of) AS
upvotes / pow(age_hours(listing_date, as_of) + 2, 1.5);

-- paper_velocity_of(paper_ids): the rows of those papers only (a VARCHAR[]; NULL = every paper),
-- reading only their votes: what the dashboard's pages ask for (~10 ms instead of ~250 ms for
-- 500 papers among 500k). NOT MATERIALIZED: DuckDB would otherwise compute obs and per_paper
-- for every paper, even when the view is asked `WHERE paper_id = ?`. The ids are a semi join
-- (hashed once), not list_contains: comparing each of the 10x history's 598k votes with a list of
-- 500 ids took ~90 ms of the Papers page's ~100, the semi join ~15.
CREATE OR REPLACE MACRO paper_velocity_of(paper_ids) AS TABLE
WITH obs AS NOT MATERIALIZED (
    SELECT
        v.paper_id,
        v.observed_at,
        v.upvotes,
        lag(v.observed_at) OVER w AS prev_observed_at,
        lag(v.upvotes)     OVER w AS prev_upvotes,
        row_number()       OVER w AS obs_no
    FROM votes AS v
    WHERE paper_ids IS NULL OR v.paper_id IN (SELECT unnest(CAST(paper_ids AS VARCHAR[])))
    WINDOW w AS (PARTITION BY v.paper_id ORDER BY v.observed_at)
),
per_paper AS NOT MATERIALIZED (
    SELECT
        paper_id,
        count(*)                          AS observations,
        min(observed_at)                  AS first_observed_at,
        max(observed_at)                  AS last_observed_at,
        arg_min(upvotes, observed_at)     AS first_upvotes,
        arg_max(upvotes, observed_at)     AS latest_upvotes
    FROM obs
    GROUP BY paper_id
),
crossings AS (
    -- For each threshold, the first observation at or above it, and the one just before it.
    SELECT
        o.paper_id,
        t.share,
        -- arg_min_null: a NULL (crossed on the first observation) must win, not be skipped.
        arg_min_null(
            CASE WHEN o.obs_no = 1 THEN NULL
                 ELSE epoch(o.prev_observed_at)
                      + (t.share * pp.latest_upvotes - o.prev_upvotes)
                        / (o.upvotes - o.prev_upvotes)
                        * (epoch(o.observed_at) - epoch(o.prev_observed_at))
            END,
            o.observed_at
        ) AS crossed_epoch
    FROM obs AS o
    JOIN per_paper AS pp USING (paper_id)
    CROSS JOIN (VALUES (0.5), (0.9)) AS t(share)
    WHERE pp.latest_upvotes > 0
      AND o.upvotes >= t.share * pp.latest_upvotes
    GROUP BY o.paper_id, t.share
)
SELECT
    pp.paper_id,
    p.title,
    p.listing_date,
    pp.observations,
    pp.first_observed_at,
    pp.last_observed_at,
    pp.first_upvotes,
    pp.latest_upvotes,
    CASE WHEN pp.observations > 1
         THEN (pp.latest_upvotes - pp.first_upvotes)
              / ((epoch(pp.last_observed_at) - epoch(pp.first_observed_at)) / 86400.0)
    END AS upvotes_per_day,
    (c50.crossed_epoch - epoch(CAST(p.listing_date AS TIMESTAMP))) / 3600.0 AS hours_to_50pct,
    (c90.crossed_epoch - epoch(CAST(p.listing_date AS TIMESTAMP))) / 3600.0 AS hours_to_90pct,
    age_hours(p.listing_date, a.as_of) AS age_hours,
    hotness(pp.latest_upvotes, p.listing_date, a.as_of) AS hotness
FROM per_paper AS pp
JOIN papers AS p USING (paper_id)
CROSS JOIN votes_as_of AS a
LEFT JOIN crossings AS c50 ON c50.paper_id = pp.paper_id AND c50.share = 0.5
LEFT JOIN crossings AS c90 ON c90.paper_id = pp.paper_id AND c90.share = 0.9;

CREATE OR REPLACE VIEW paper_velocity AS
SELECT * FROM paper_velocity_of(NULL);

-- rising_papers(n_days): papers ranked by upvotes gained per day over the observations of the
-- last n_days before the warehouse's as-of time. Only observations inside the window count;
-- a paper needs two of them (a single observation has no rate and is left out).
-- Grain: paper. Ties: more upvotes gained first, then paper_id.
CREATE OR REPLACE MACRO rising_papers(n_days) AS TABLE
WITH windowed AS (
    SELECT v.*
    FROM votes AS v, votes_as_of AS a
    WHERE v.observed_at >= a.as_of - to_days(CAST(n_days AS INTEGER))
),
per_paper AS (
    SELECT
        paper_id,
        count(*)                                       AS window_observations,
        min(observed_at)                               AS window_first_observed_at,
        max(observed_at)                               AS window_last_observed_at,
        arg_max(upvotes, observed_at) - arg_min(upvotes, observed_at) AS upvotes_gained
    FROM windowed
    GROUP BY paper_id
    HAVING count(*) >= 2
),
latest AS (
    -- as paper_velocity.latest_upvotes, for these papers only (joining the view computed it
    -- for every paper)
    SELECT paper_id, arg_max(upvotes, observed_at) AS latest_upvotes
    FROM votes
    WHERE paper_id IN (SELECT paper_id FROM per_paper)
    GROUP BY paper_id
)
SELECT
    row_number() OVER (
        ORDER BY r.upvotes_gained
                 / ((epoch(r.window_last_observed_at) - epoch(r.window_first_observed_at)) / 86400.0) DESC,
                 r.upvotes_gained DESC, r.paper_id
    ) AS rank,
    r.paper_id,
    p.title,
    p.listing_date,
    r.window_observations,
    r.window_first_observed_at,
    r.window_last_observed_at,
    r.upvotes_gained,
    r.upvotes_gained
        / ((epoch(r.window_last_observed_at) - epoch(r.window_first_observed_at)) / 86400.0)
        AS upvotes_per_day,
    l.latest_upvotes,
    hotness(l.latest_upvotes, p.listing_date, a.as_of) AS hotness
FROM per_paper AS r
JOIN latest AS l USING (paper_id)
JOIN papers AS p USING (paper_id)
CROSS JOIN votes_as_of AS a
ORDER BY rank;
