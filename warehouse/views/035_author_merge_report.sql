-- Author identity: what the ingest merged, for a person to review.
--
-- normalise_name(s): the ingest's name folding (transforms/person_names.py) in SQL: lower case,
-- accents stripped, letters Unicode does not decompose mapped by hand (ł ı ø đ ð ħ ŧ þ ß æ œ),
-- apostrophes dropped (O'Brien -> obrien), other punctuation and symbols made spaces, whitespace
-- collapsed: 'José  Pérez-Luna.' -> 'jose perez luna'. (strip_accents is not NFKD: ligatures
-- and full-width forms may still differ from the ingest; this only feeds the report.)
CREATE OR REPLACE MACRO normalise_name(s) AS
trim(regexp_replace(regexp_replace(regexp_replace(
    replace(replace(replace(replace(
        translate(strip_accents(lower(s)), 'łıøđðħŧ', 'lioddht'),
        'þ', 'th'), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'),
    '[''’‘`´ʼ]', '', 'g'),
    '[\p{P}\p{S}]+', ' ', 'g'),
    '\s+', ' ', 'g'));

-- Grain: one row per finding (kind, author_id[, related_author_id]). Kinds:
--   spelling_variants     one author_id listed under several spellings that fold to the same name
--                         ("Jégou" / "Jegou"): a confident merge, shown so it can be checked.
--   claimed_names_differ  one claimed HF account listed under names that differ after folding
--                         ("Rui Chen" / "Xuelin Chen" both linked to XuelinChen): the link may be wrong.
--   name_matches_claimed  an unclaimed (name-keyed) author whose folded name equals a name a claimed
--                         account was listed under: maybe one person split in two, maybe namesakes.
-- name_similarity: Jaro-Winkler similarity of the two least similar folded spellings (1.0 = same).
CREATE OR REPLACE VIEW author_merge_report AS
WITH listed AS (
    SELECT
        pa.author_id,
        pa.name_as_listed,
        normalise_name(pa.name_as_listed) AS folded,
        count(DISTINCT pa.paper_id) AS papers
    FROM paper_authors AS pa
    GROUP BY pa.author_id, pa.name_as_listed
),
per_author AS (
    SELECT
        author_id,
        list(DISTINCT name_as_listed ORDER BY name_as_listed) AS spellings,
        count(DISTINCT name_as_listed) AS spelling_count,
        count(DISTINCT folded) AS folded_count
    FROM listed
    GROUP BY author_id
    HAVING count(DISTINCT name_as_listed) > 1
),
least_similar AS (
    SELECT a.author_id, min(jaro_winkler_similarity(a.folded, b.folded)) AS name_similarity
    FROM listed AS a
    JOIN listed AS b ON b.author_id = a.author_id AND b.folded > a.folded
    GROUP BY a.author_id
),
author_papers AS (
    SELECT author_id, count(DISTINCT paper_id) AS papers FROM paper_authors GROUP BY author_id
),
merged AS (
    SELECT
        CASE WHEN pa.folded_count = 1 THEN 'spelling_variants' ELSE 'claimed_names_differ' END AS kind,
        pa.author_id,
        CAST(NULL AS VARCHAR) AS related_author_id,
        pa.spellings,
        pa.spelling_count,
        coalesce(ls.name_similarity, 1.0) AS name_similarity
    FROM per_author AS pa
    JOIN authors AS au USING (author_id)
    LEFT JOIN least_similar AS ls USING (author_id)
    -- Several folded names under one name key cannot happen; under a claimed key it is the finding.
    WHERE pa.folded_count = 1 OR au.hf_username IS NOT NULL
),
collisions AS (
    SELECT DISTINCT
        'name_matches_claimed' AS kind,
        unclaimed.author_id,
        claimed.author_id AS related_author_id
    FROM authors AS unclaimed
    JOIN listed AS l ON l.folded = substr(unclaimed.identity_key, length('name:') + 1)
    JOIN authors AS claimed ON claimed.author_id = l.author_id
    WHERE unclaimed.hf_username IS NULL
      AND unclaimed.identity_key LIKE 'name:%'
      AND claimed.hf_username IS NOT NULL
),
collision_rows AS (
    SELECT
        c.kind,
        c.author_id,
        c.related_author_id,
        (SELECT list(DISTINCT l.name_as_listed ORDER BY l.name_as_listed)
         FROM listed AS l WHERE l.author_id IN (c.author_id, c.related_author_id)) AS spellings,
        (SELECT count(DISTINCT l.name_as_listed)
         FROM listed AS l WHERE l.author_id IN (c.author_id, c.related_author_id)) AS spelling_count,
        1.0 AS name_similarity
    FROM collisions AS c
)
SELECT
    f.kind,
    f.author_id,
    au.identity_key,
    au.hf_username,
    au.name,
    f.spellings,
    f.spelling_count,
    f.name_similarity,
    coalesce(ap.papers, 0) AS papers,
    f.related_author_id,
    rel.identity_key AS related_identity_key,
    rel.hf_username AS related_hf_username
FROM (SELECT * FROM merged UNION ALL BY NAME SELECT * FROM collision_rows) AS f
JOIN authors AS au ON au.author_id = f.author_id
LEFT JOIN authors AS rel ON rel.author_id = f.related_author_id
LEFT JOIN author_papers AS ap ON ap.author_id = f.author_id
ORDER BY f.kind, f.name_similarity, f.author_id, f.related_author_id;
