"""The weekly digest: a week of the warehouse as Markdown, HTML and an Atom feed (no Dagster).

weeks.py picks and checks the week, queries.py reads it from the published views, shape.py ranks
and shapes it (pure), render.py and feed.py write the text, files.py names and writes the files,
write.py does all of it for one week (the `papers digest` command and the `weekly_digest` asset).
"""
