-- Full-text search over title and abstract, without the fts extension (not available offline).
-- The index (search_postings, search_terms, search_stats: warehouse/schema/003_derived_tables.sql)
-- is kept by warehouse.derived.update_derived_tables with the same text_tokens(), stop_words() and
-- stem_term() macros that split the query, so a query word and an indexed word always agree.

-- text_tokens(t): the raw tokens of a text: lower case, accents stripped (plus ł ı ø đ ß æ by
-- hand, after lower-casing so capitals fold too), split at anything but a-z0-9. NULL text gives
-- no tokens. replace() rather than translate(): translate took 6x longer on a year's abstracts.
-- The six replace() passes run only on texts that hold one of those letters (few do): one regex
-- test instead of six passes took text_tokens of a 1x year's titles and abstracts from 0.80 to
-- 0.55 s of CPU, the same tokens (compared paper by paper).
CREATE OR REPLACE MACRO text_tokens(t) AS
regexp_split_to_array(
    CASE WHEN regexp_matches(strip_accents(lower(coalesce(t, ''))), '[łıøđßæ]')
    THEN replace(replace(replace(replace(replace(replace(
        strip_accents(lower(coalesce(t, ''))), 'ł', 'l'), 'ı', 'i'), 'ø', 'o'), 'đ', 'd'), 'ß', 'ss'), 'æ', 'ae')
    ELSE strip_accents(lower(coalesce(t, ''))) END,
    '[^a-z0-9]+');

-- stop_words(): common English words that are not search terms.
CREATE OR REPLACE MACRO stop_words() AS ['a', 'about', 'above', 'after', 'again', 'against', 'all', 'also', 'am', 'an', 'and',
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
            'whom', 'why', 'will', 'with', 'within', 'without', 'would', 'you', 'your'];

-- stem_term(token): Harman's S-stemmer on tokens of 4+ characters (models -> model,
-- studies -> study, images -> image; 'ss' and 'us' endings are kept: loss, corpus).
CREATE OR REPLACE MACRO stem_term(x) AS
CASE
    WHEN length(x) < 4 OR NOT ends_with(x, 's') THEN x
    WHEN ends_with(x, 'ies') AND NOT (ends_with(x, 'eies') OR ends_with(x, 'aies')) THEN left(x, length(x) - 3) || 'y'
    WHEN ends_with(x, 'es') AND NOT (ends_with(x, 'aes') OR ends_with(x, 'ees') OR ends_with(x, 'oes')) THEN left(x, length(x) - 1)
    WHEN ends_with(x, 'us') OR ends_with(x, 'ss') THEN x
    ELSE left(x, length(x) - 1)
END;

-- text_terms(t): the search terms of a text, in order, duplicates kept: the tokens of 2+
-- characters that are not stop words, stemmed. warehouse/derived.py applies the same rule to
-- the papers column-wise (a test checks that both agree).
CREATE OR REPLACE MACRO text_terms(t) AS
list_transform(
    list_filter(text_tokens(t), lambda x: length(x) >= 2 AND NOT list_contains(stop_words(), x)),
    lambda x: stem_term(x));

-- bm25(tf, length, df, papers, total_length): Okapi BM25 (k1 = 1.2, b = 0.75) of a term in a
-- paper: idf = ln(1 + (N - df + 0.5) / (df + 0.5)), times tf (k1 + 1) / (tf + k1 (1 - b + b length / mean length)).
-- The same arithmetic as transforms/text_index.py bm25_index (tests compare them); the view and the
-- macros below call this one. The dashboard's search (dashboard/search_ranking.py) computes the idf
-- per query term with this expression and the rest per posting in NumPy, in this order of operations:
-- change both together (tests/dashboard/test_search_ranking.py compares every posting's score).
CREATE OR REPLACE MACRO bm25(tf, length, df, papers, total_length) AS
ln(1.0 + (papers - df + 0.5) / (df + 0.5)) * tf * (1.2 + 1.0)
    / (tf + 1.2 * (1.0 - 0.75 + 0.75 * length / (total_length / papers)));

-- search_index: one row per (term, paper) with the paper's BM25 score for that term, computed
-- from the stored term counts when read (it depends on the whole corpus, so it is not stored).
CREATE OR REPLACE VIEW search_index AS
SELECT p.term, p.paper_id, bm25(p.tf, p.length, t.df, s.papers, s.total_length) AS score, p.paper_key
FROM search_postings AS p
JOIN search_terms AS t USING (term)
CROSS JOIN search_stats AS s
WHERE p.paper_key NOT IN (SELECT paper_key FROM search_dead_keys);

-- search_papers_top(query_text, top_n): the first top_n papers matching any query term, best
-- first (top_n NULL: all of them).
-- score = sum over the distinct query terms of the paper's BM25 score for that term (k1 = 1.2,
-- b = 0.75, a title occurrence counts 3 times). matched_terms says how many query terms matched.
-- Ties: more upvotes first, then paper_id. A query with no usable term returns no rows.
-- Scores are summed per paper on the index alone, and only papers scoring at least the
-- top_n-th best score are joined to `papers` (ties on that score are kept for the upvotes to
-- decide): at 500k papers a query of common words matches most of them, and joining every match
-- before ranking took ~1.6 s (now 0.1-0.2 s). search_postings is stored sorted by term (by a full
-- build), so DuckDB reads only the row groups of the query's terms.
CREATE OR REPLACE MACRO search_papers_top(query_text, top_n) AS TABLE
WITH q AS (
    SELECT DISTINCT unnest(text_terms(query_text)) AS term
),
idf AS (
    SELECT t.term, t.df, s.papers, s.total_length
    FROM search_terms AS t SEMI JOIN q USING (term) CROSS JOIN search_stats AS s
),
scored AS MATERIALIZED (
    SELECT p.paper_id, sum(bm25(p.tf, p.length, i.df, i.papers, i.total_length)) AS score, count(*) AS matched_terms
    FROM search_postings AS p JOIN idf AS i USING (term)
    WHERE p.term IN (SELECT term FROM q) AND p.paper_key NOT IN (SELECT paper_key FROM search_dead_keys)
    GROUP BY p.paper_id
),
cutoff AS (
    SELECT score FROM scored ORDER BY score DESC LIMIT 1 OFFSET coalesce(top_n, 1) - 1
),
kept AS (
    SELECT * FROM scored
    WHERE top_n IS NULL OR score >= coalesce((SELECT score FROM cutoff), '-infinity'::DOUBLE)
)
SELECT p.paper_id, p.title, p.listing_date, p.upvotes, k.score, k.matched_terms
FROM kept AS k
JOIN papers AS p USING (paper_id)
ORDER BY k.score DESC, p.upvotes DESC, p.paper_id
LIMIT top_n;

-- search_papers(query_text): every paper matching any query term, best first (as above).
CREATE OR REPLACE MACRO search_papers(query_text) AS TABLE
SELECT * FROM search_papers_top(query_text, NULL);
