-- Listing metrics per day, week or month, by listing date or by arXiv date.
--
-- metrics_by_period(grain, date_basis)
--   grain      'day' | 'week' | 'month'  (weeks start on Monday, ISO)
--   date_basis 'listing' (papers.listing_date, the Daily Papers day)
--            | 'arxiv'   (papers.published_at, arXiv v1 time, UTC date; papers without it are left out)
-- Grain: one row per period that has at least one paper (empty periods have no row).
-- median_upvotes and p90_upvotes are interpolated (quantile_cont), so they can be fractional.
CREATE OR REPLACE MACRO metrics_by_period(grain, date_basis) AS TABLE
WITH checked AS (
    SELECT
        CASE WHEN grain NOT IN ('day', 'week', 'month')
             THEN error('metrics_by_period: grain must be day, week or month, got ' || grain) END AS bad_grain,
        CASE WHEN date_basis NOT IN ('listing', 'arxiv')
             THEN error('metrics_by_period: date_basis must be listing or arxiv, got ' || date_basis) END AS bad_basis
),
dated AS (
    SELECT
        p.*,
        CAST(date_trunc(grain,
            CASE date_basis WHEN 'listing' THEN p.listing_date ELSE CAST(p.published_at AS DATE) END
        ) AS DATE) AS period_start
    FROM papers AS p, checked
    WHERE checked.bad_grain IS NULL AND checked.bad_basis IS NULL
),
paper_metrics AS (
    SELECT
        period_start,
        count(*)                                                    AS papers,
        sum(upvotes)                                                AS total_upvotes,
        median(upvotes)                                             AS median_upvotes,
        quantile_cont(upvotes, 0.9)                                 AS p90_upvotes,
        avg(CASE WHEN github_repo IS NOT NULL THEN 1.0 ELSE 0.0 END)  AS share_with_github,
        avg(CASE WHEN project_page IS NOT NULL THEN 1.0 ELSE 0.0 END) AS share_with_project_page,
        sum(num_comments)                                           AS total_comments,
        count(DISTINCT organization)                                AS distinct_organizations,
        count(DISTINCT submitted_by)                                AS distinct_submitters,
        avg(author_count)                                           AS mean_author_count
    FROM dated
    WHERE period_start IS NOT NULL
    GROUP BY period_start
),
author_metrics AS (
    SELECT d.period_start, count(DISTINCT pa.author_id) AS distinct_authors
    FROM dated AS d
    JOIN paper_authors AS pa ON pa.paper_id = d.paper_id
    WHERE d.period_start IS NOT NULL
    GROUP BY d.period_start
)
SELECT
    m.period_start,
    m.papers,
    m.total_upvotes,
    m.median_upvotes,
    m.p90_upvotes,
    m.share_with_github,
    m.share_with_project_page,
    m.total_comments,
    coalesce(a.distinct_authors, 0) AS distinct_authors,
    m.distinct_organizations,
    m.distinct_submitters,
    m.mean_author_count
FROM paper_metrics AS m
LEFT JOIN author_metrics AS a USING (period_start)
ORDER BY m.period_start;

-- Grain: listing_date (one row per Daily Papers day that has papers).
CREATE OR REPLACE VIEW daily_metrics AS
SELECT period_start AS listing_date, * EXCLUDE (period_start)
FROM metrics_by_period('day', 'listing');

-- Grain: week_start (Monday) of the listing date.
CREATE OR REPLACE VIEW weekly_metrics AS
SELECT period_start AS week_start, * EXCLUDE (period_start)
FROM metrics_by_period('week', 'listing');

-- Grain: month_start (first day of the month) of the listing date.
CREATE OR REPLACE VIEW monthly_metrics AS
SELECT period_start AS month_start, * EXCLUDE (period_start)
FROM metrics_by_period('month', 'listing');
