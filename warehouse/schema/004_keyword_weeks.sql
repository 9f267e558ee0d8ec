-- Keyword counts per ISO week (Monday) of listing date, kept current by the load for the weeks it
-- touches (warehouse/keywords.py), in the same transaction. The keyword views read these instead
-- of unnesting and normalising every paper's keywords on every query (seconds at 500k papers).

-- Grain: (week_start, keyword); only weeks where the keyword appears.
CREATE TABLE IF NOT EXISTS keyword_week_counts (
    week_start      DATE NOT NULL,
    keyword         VARCHAR NOT NULL,      -- normalise_keyword() of HF's ai_keywords
    papers          BIGINT NOT NULL
);

-- Grain: week_start (every week with papers).
CREATE TABLE IF NOT EXISTS keyword_week_coverage (
    week_start           DATE NOT NULL,
    papers               BIGINT NOT NULL,
    papers_with_keywords BIGINT NOT NULL   -- papers with at least one keyword
);
