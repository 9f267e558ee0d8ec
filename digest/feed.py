"""The Atom 1.0 feed (feed.xml) of the newest weeks' papers, written with feedgen.

One entry per paper, most upvoted first. An entry's id is the paper's huggingface.co URL, which
never changes, so a feed reader shows a paper once however often the feed is rewritten; its
`updated` is the paper's listing day (00:00 UTC), and the feed's is its newest entry's, so
rewriting the feed from the same warehouse gives the same file.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time

from feedgen.feed import FeedGenerator

from digest.shape import PaperItem
from digest.weeks import Week

FEED_WEEKS = 2  # a reader that polls once a week never misses a paper
FEED_ID = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "https://huggingface.co/papers#hf-daily-papers-warehouse-digest"))
FEED_TITLE = "Hugging Face Daily Papers: weekly digest"
HF_PAPERS = "https://huggingface.co/papers"


def listing_time(paper: PaperItem) -> datetime:
    """The start of the paper's listing day, UTC."""
    return datetime.combine(paper.listing_date, time(0), tzinfo=UTC)


def atom_feed(papers: list[PaperItem], weeks: list[Week], generated_at: datetime) -> bytes:
    """The Atom document (UTF-8) with one entry per paper, in the order given.

    `generated_at` is the feed's `updated` only when there is no entry to take it from.
    """
    fg = FeedGenerator()
    fg.id(FEED_ID)
    fg.title(FEED_TITLE)
    if weeks:
        fg.subtitle(f"Papers listed {min(w.start for w in weeks)} to {max(w.end for w in weeks)}, most upvoted first")
    fg.link(href=HF_PAPERS, rel="alternate")
    # Atom needs an author on the feed unless every entry has one; some papers list nobody.
    fg.author({"name": "Hugging Face Daily Papers"})
    fg.language("en")
    fg.updated(max((listing_time(p) for p in papers), default=generated_at))
    for paper in papers:
        entry = fg.add_entry(order="append")
        entry.id(paper.url)
        entry.title(paper.title)
        entry.link(href=paper.url, rel="alternate")
        entry.updated(listing_time(paper))
        entry.published(listing_time(paper))
        if paper.summary:
            entry.summary(paper.summary)
        for name in paper.author_names:
            entry.author({"name": name})
    return fg.atom_str(pretty=True)
