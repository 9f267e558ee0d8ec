-- Keyword trends from papers.ai_keywords (HF's LLM-made keywords; many papers have none).
-- Weeks start on Monday (ISO) of the listing date.

-- normalise_keyword(k): lower case, trimmed, inner whitespace collapsed. 'Large  Language Models '
-- -> 'large language models'. Nothing else is merged (no stemming: 'LLM' and 'LLMs' stay two).
-- Why the CASE: the regex is the whole cost of the keyword views, and most keywords have no
-- whitespace but single spaces (\s in RE2 is exactly tab, newline, form feed, return and space).
CREATE OR REPLACE MACRO normalise_keyword(k) AS
nullif(trim(
    CASE WHEN contains(k, '  ') OR contains(k, chr(9)) OR contains(k, chr(10))
              OR contains(k, chr(12)) OR contains(k, chr(13))
         THEN regexp_replace(lower(k), '\s+', ' ', 'g')
         ELSE lower(k)
    END), '');

-- Grain: (paper_id, keyword). A keyword given twice on one paper (in any case) is one row.
-- paper_keywords_between(start_date, end_date): those of the papers listed in that range (the
-- load refreshes a few weeks; DuckDB does not push a date filter below the unnest by itself).
CREATE OR REPLACE MACRO paper_keywords_between(start_date, end_date) AS TABLE
SELECT paper_id, listing_date, keyword
FROM (
    -- Distinct within each paper's list (list_distinct also drops the NULLs): the grain is per
    -- paper, so no global DISTINCT over every keyword row is needed.
    SELECT paper_id, listing_date,
           unnest(list_distinct(list_transform(ai_keywords, lambda k: normalise_keyword(k)))) AS keyword
    FROM papers_between(start_date, end_date)
    WHERE ai_keywords IS NOT NULL
)
WHERE keyword IS NOT NULL;

CREATE OR REPLACE VIEW paper_keywords AS
SELECT * FROM paper_keywords_between(NULL, NULL);

-- Grain: (week_start, keyword); only weeks where the keyword appears: papers = count(*) of
-- paper_keywords per week and keyword. Kept as a table by the load (warehouse/keywords.py).
CREATE OR REPLACE VIEW keyword_weekly AS
SELECT week_start, keyword, papers FROM keyword_week_counts;

-- Grain: week_start (every week with papers). coverage = papers_with_keywords / papers: how much
-- of the week the keyword figures describe. Papers without keywords are never given any.
-- papers_with_keywords: papers with a row in paper_keywords (one keyword that normalises to
-- something). Kept as a table by the load (warehouse/keywords.py).
CREATE OR REPLACE VIEW keyword_coverage AS
SELECT week_start, papers, papers_with_keywords, papers_with_keywords / papers AS coverage
FROM keyword_week_coverage;

-- Grain: (keyword, week_start) for every week a keyword appears, scored against its baseline.
--   baseline window  the 8 weeks before week_start, counting only weeks that had keyworded papers
--                    at all (baseline_weeks of them): weeks before HF produced keywords, or with no
--                    data loaded, say nothing and are not counted as zeros. In a counted week where
--                    the keyword is absent, its count is 0.
--   baseline_mean, baseline_std  mean and population standard deviation of those weekly counts.
--   z_score = (papers - baseline_mean) / greatest(baseline_std, 1). The std is floored at one
--            paper, so a flat baseline (std 0) gives a finite score equal to the plain rise in
--            papers (0 -> 3 scores 3.0) rather than infinity. NULL when baseline_weeks = 0.
-- rising_keywords_between(first_week, last_week): the rows of the weeks in that range, reading
-- only those weeks and the 8 before them (what the dashboard asks for: the newest week).
CREATE OR REPLACE MACRO rising_keywords_between(first_week, last_week) AS TABLE
WITH weekly AS MATERIALIZED (
    -- Read twice below: computed once.
    SELECT * FROM keyword_weekly
    WHERE week_start BETWEEN CAST(first_week AS DATE) - INTERVAL 56 DAYS AND CAST(last_week AS DATE)
),
covered_weeks AS (
    SELECT week_start FROM keyword_coverage WHERE papers_with_keywords > 0
),
history AS (
    SELECT
        keyword,
        week_start,
        papers,
        coalesce(sum(papers) OVER w, 0) AS baseline_sum,
        coalesce(sum(papers * papers) OVER w, 0) AS baseline_sum_sq
    FROM weekly
    WINDOW w AS (
        PARTITION BY keyword ORDER BY week_start
        RANGE BETWEEN INTERVAL 56 DAYS PRECEDING AND INTERVAL 7 DAYS PRECEDING
    )
),
baseline_sizes AS (
    SELECT w.week_start, count(c.week_start) AS baseline_weeks
    FROM (SELECT DISTINCT week_start FROM weekly) AS w
    LEFT JOIN covered_weeks AS c
      ON c.week_start BETWEEN w.week_start - INTERVAL 56 DAYS AND w.week_start - INTERVAL 7 DAYS
    GROUP BY w.week_start
),
scored AS (
    SELECT
        h.keyword,
        h.week_start,
        h.papers,
        b.baseline_weeks,
        CASE WHEN b.baseline_weeks > 0 THEN h.baseline_sum / b.baseline_weeks END AS baseline_mean,
        CASE WHEN b.baseline_weeks > 0
             THEN sqrt(greatest(h.baseline_sum_sq / b.baseline_weeks
                                - pow(h.baseline_sum / b.baseline_weeks, 2), 0))
        END AS baseline_std
    FROM history AS h
    JOIN baseline_sizes AS b USING (week_start)
)
SELECT
    keyword,
    week_start,
    papers,
    baseline_weeks,
    baseline_mean,
    baseline_std,
    (papers - baseline_mean) / greatest(baseline_std, 1.0) AS z_score
FROM scored
WHERE week_start BETWEEN CAST(first_week AS DATE) AND CAST(last_week AS DATE);

CREATE OR REPLACE VIEW rising_keywords AS
SELECT * FROM rising_keywords_between(DATE '1900-01-01', DATE '9999-12-31');
