-- Full-text search over title and abstract, without the fts extension (not available offline).
-- The index (search_index) is built by warehouse.derived.rebuild_derived_tables with the same
-- text_terms() macro that splits the query, so a query word and an indexed word always agree.

-- text_terms(t): the search terms of a text, in order, duplicates kept.
--   fold: lower case, accents stripped (plus ł ı ø đ ß æ by hand), anything but a-z0-9 splits;
--   drop: tokens shorter than 2 characters and common English stop words;
--   stem: Harman's S-stemmer on tokens of 4+ characters (models -> model, studies -> study,
--         images -> image; 'ss' and 'us' endings are kept: loss, corpus).
CREATE OR REPLACE MACRO text_terms(t) AS
list_transform(
    list_filter(
        regexp_split_to_array(
            lower(strip_accents(replace(replace(translate(coalesce(t, ''), 'łŁıøØđĐ', 'lLioOdD'), 'ß', 'ss'), 'æ', 'ae'))),
            '[^a-z0-9]+'),
        lambda x: length(x) >= 2 AND NOT list_contains([
            'a', 'about', 'above', 'after', 'again', 'against', 'all', 'also', 'am', 'an', 'and',
            'any', 'are', 'as', 'at', 'be', 'because', 'been', 'before', 'being', 'below',
            'between', 'both', 'but', 'by', 'can', 'could', 'did', 'do', 'does', 'doing', 'down',
            'during', 'each', 'few', 'for', 'from', 'further', 'had', 'has', 'have', 'having',
            'he', 'her', 'here', 'hers', 'him', 'his', 'how', 'however', 'if', 'in', 'into', 'is',
            'it', 'its', 'itself', 'just', 'may', 'me', 'more', 'most', 'much', 'must', 'my', 'no',
            'nor', 'not', 'of', 'off', 'on', 'once', 'only', 'or', 'other', 'our', 'ours', 'out',
            'over', 'own', 'same', 'she', 'should', 'so', 'some', 'such', 'than', 'that', 'the',
            'their', 'theirs', 'them', 'then', 'there', 'these', 'they', 'this', 'those',
            'through', 'thus', 'to', 'too', 'under', 'until', 'up', 'upon', 'us', 'very', 'via',
            'was', 'we', 'were', 'what', 'when', 'where', 'whether', 'which', 'while', 'who',
            'whom', 'why', 'will', 'with', 'within', 'without', 'would', 'you', 'your'], x)),
    lambda x: CASE
        WHEN length(x) < 4 THEN x
        WHEN x LIKE '%ies' AND NOT (x LIKE '%eies' OR x LIKE '%aies') THEN left(x, length(x) - 3) || 'y'
        WHEN x LIKE '%es' AND NOT (x LIKE '%aes' OR x LIKE '%ees' OR x LIKE '%oes') THEN left(x, length(x) - 1)
        WHEN x LIKE '%s' AND NOT (x LIKE '%us' OR x LIKE '%ss') THEN left(x, length(x) - 1)
        ELSE x
    END);

-- search_papers(query_text): papers matching any query term, best first.
-- score = sum over the distinct query terms of the paper's BM25 score for that term (k1 = 1.2,
-- b = 0.75, a title occurrence counts 3 times). matched_terms says how many query terms matched.
-- Ties: more upvotes first, then paper_id. A query with no usable term returns no rows.
CREATE OR REPLACE MACRO search_papers(query_text) AS TABLE
WITH q AS (
    SELECT DISTINCT unnest(text_terms(query_text)) AS term
)
SELECT
    p.paper_id,
    p.title,
    p.listing_date,
    p.upvotes,
    sum(s.score) AS score,
    count(*) AS matched_terms
FROM q
JOIN search_index AS s ON s.term = q.term
JOIN papers AS p ON p.paper_id = s.paper_id
GROUP BY p.paper_id, p.title, p.listing_date, p.upvotes
ORDER BY score DESC, p.upvotes DESC, p.paper_id;
