"""Writing one week's digest and refreshing the feed: what `papers digest` and the
`weekly_digest` asset both call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from digest.feed import FEED_WEEKS, atom_feed
from digest.files import DigestFiles, write_atomically
from digest.queries import feed_papers, feed_weeks, read_week
from digest.render import render_html, render_markdown
from digest.shape import paper_items, shape_week
from digest.weeks import Week


@dataclass(frozen=True)
class Written:
    """What one digest wrote."""

    week: Week
    markdown: Path
    html: Path
    feed: Path
    papers: int
    feed_entries: int


def write_digest(con: duckdb.DuckDBPyConnection, week: Week, folder: Path, generated_at: datetime) -> Written:
    """Write `week`'s Markdown and HTML digests into `folder` and rewrite its feed.xml from the
    warehouse behind `con`. Raises files.OutputError when `folder` cannot be written."""
    files = DigestFiles(folder)
    files.make_writable()
    digest = shape_week(read_week(con, week))
    weeks = feed_weeks(con, FEED_WEEKS)
    entries = paper_items(feed_papers(con, weeks))
    write_atomically(files.markdown(week.start), render_markdown(digest, files.feed.name))
    write_atomically(files.html(week.start), render_html(digest, files.feed.name))
    write_atomically(files.feed, atom_feed(entries, weeks, generated_at))
    return Written(
        week=week,
        markdown=files.markdown(week.start),
        html=files.html(week.start),
        feed=files.feed,
        papers=len(digest.papers),
        feed_entries=len(entries),
    )
