-- The floor: DuckDB alone reads the raw API days ($glob = a glob of daily_papers_*.json) and fills
-- the same warehouse tables the project's load fills. One read of the JSON; every table is
-- derived from it in SQL into floor_<table>; bench/measure_load.py then inserts the columns the
-- warehouse table has (so the floor follows schema changes). All in one transaction.
CREATE TEMP TABLE raw_items AS
SELECT CAST(regexp_extract(filename, 'daily_papers_(\d{4}-\d{2}-\d{2})', 1) AS DATE) AS listing_date,
       paper, title, summary, mediaUrl, thumbnail, numComments, submittedBy, organization
FROM read_json($glob, format = 'array', filename = true, columns = {
    paper: 'STRUCT(id VARCHAR, title VARCHAR, summary VARCHAR, publishedAt VARCHAR, upvotes BIGINT,
                   authors STRUCT(name VARCHAR, status VARCHAR, "user" STRUCT("user" VARCHAR))[],
                   discussionId VARCHAR, submittedOnDailyBy STRUCT("user" VARCHAR, fullname VARCHAR, avatarUrl VARCHAR),
                   projectPage VARCHAR, githubRepo VARCHAR, githubStars BIGINT, ai_summary VARCHAR,
                   ai_keywords VARCHAR[], organization STRUCT(name VARCHAR, fullname VARCHAR, avatar VARCHAR))',
    title: 'VARCHAR', summary: 'VARCHAR', mediaUrl: 'VARCHAR', thumbnail: 'VARCHAR', numComments: 'BIGINT',
    submittedBy: 'STRUCT(name VARCHAR, fullname VARCHAR, avatarUrl VARCHAR, isHf BOOLEAN, followerCount BIGINT)',
    organization: 'STRUCT(name VARCHAR, fullname VARCHAR, avatar VARCHAR)'
});
CREATE TEMP TABLE floor_papers AS
SELECT paper.id AS paper_id,
       trim(regexp_replace(coalesce(paper.title, title), '\s+', ' ', 'g')) AS title,
       trim(regexp_replace(coalesce(paper.summary, summary), '\s+', ' ', 'g')) AS summary,
       strptime(paper.publishedAt, '%Y-%m-%dT%H:%M:%S.%gZ') AS published_at,
       listing_date, paper.upvotes AS upvotes, numComments AS num_comments,
       coalesce(submittedBy.name, paper.submittedOnDailyBy."user") AS submitted_by,
       coalesce(paper.organization, organization).name AS organization,
       rtrim(paper.githubRepo, '/') AS github_repo, paper.githubStars AS github_stars,
       paper.projectPage AS project_page, paper.ai_summary AS ai_summary, paper.ai_keywords AS ai_keywords,
       paper.discussionId AS discussion_id, coalesce(thumbnail, mediaUrl) AS thumbnail,
       coalesce(len(paper.authors), 0) AS author_count, $fetched_at AS fetched_at
FROM raw_items;
CREATE TEMP TABLE floor_votes AS
SELECT paper.id AS paper_id, $fetched_at AS observed_at, paper.upvotes AS upvotes, numComments AS num_comments, listing_date
FROM raw_items;
CREATE TEMP TABLE slots AS
SELECT paper_id, position, name_as_listed, listing_date, identity_key,
       substr(sha1(identity_key), 1, 16) AS author_id
FROM (
    SELECT paper_id, position, listing_date, author.name AS name_as_listed,
           CASE WHEN author."user"."user" IS NOT NULL AND coalesce(author.status, '') <> 'extracted_pending'
                THEN 'hf:' || author."user"."user"
                ELSE 'name:' || trim(regexp_replace(regexp_replace(lower(strip_accents(author.name)),
                                     '[^\w\s]+', ' ', 'g'), '\s+', ' ', 'g')) END AS identity_key
    FROM (SELECT paper.id AS paper_id, listing_date, unnest(paper.authors) AS author,
                 unnest(generate_series(1, len(paper.authors))) AS position FROM raw_items)
);
CREATE TEMP TABLE floor_paper_authors AS
SELECT paper_id, author_id, position, name_as_listed, listing_date FROM slots;
CREATE TEMP TABLE floor_author_papers AS
SELECT DISTINCT s.listing_date, author_key(s.author_id) AS author_key, s.author_id, s.paper_id, p.upvotes
FROM slots AS s JOIN floor_papers AS p USING (paper_id);
CREATE TEMP TABLE floor_authors AS
SELECT author_id, any_value(name_as_listed) AS name,
       any_value(CASE WHEN identity_key LIKE 'hf:%' THEN substr(identity_key, 4) END) AS hf_username,
       any_value(identity_key) AS identity_key
FROM slots GROUP BY author_id;
CREATE TEMP TABLE floor_submitters AS
SELECT submittedBy.name AS username, any_value(submittedBy.fullname) AS fullname,
       any_value(CASE WHEN submittedBy.avatarUrl LIKE '/%' THEN 'https://huggingface.co' || submittedBy.avatarUrl
                      ELSE submittedBy.avatarUrl END) AS avatar_url,
       any_value(submittedBy.isHf) AS is_hf_staff, any_value(submittedBy.followerCount) AS follower_count
FROM raw_items WHERE submittedBy.name IS NOT NULL GROUP BY ALL;
CREATE TEMP TABLE floor_organizations AS
SELECT o.name AS organization, any_value(trim(o.fullname)) AS fullname, any_value(o.avatar) AS avatar_url
FROM (SELECT coalesce(paper.organization, organization) AS o FROM raw_items) WHERE o.name IS NOT NULL GROUP BY ALL
