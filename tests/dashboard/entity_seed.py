"""One old paper on top of tests/dashboard/seed.py, for the entity pages: listed 2024-06-03, more
than 90 days before the seed's newest day (2025-01-14), so no default date range reaches it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from warehouse.author_papers import fill_author_keys, refresh_author_papers
from warehouse.db import connect_writer
from warehouse.derived import rebuild_derived_tables

OLD_PAPER = "2406.00006"
OLD_TITLE = "Reinforcement Learning Policies of Old"
OLD_DAY = date(2024, 6, 3)
# Dana is on the old paper only: before entity pages, her page showed her hex id as the name and
# "no papers in the selected range". Ann is on it too: her page counts it with her 2025 papers.
DANA = ("a-dana", "Dana Álvarez", "danaal", "hf:danaal")


def add_old_paper(path: Path) -> Path:
    """Add the old paper (Dana Álvarez, Ann Li; org 'old-lab' without an organisations row) to the
    seeded warehouse at `path` and rebuild what depends on papers."""
    con = connect_writer(path)
    try:
        con.execute(
            "INSERT INTO papers (paper_id, title, summary, published_at, listing_date, upvotes, num_comments, "
            "submitted_by, organization, ai_keywords, author_count) VALUES (?, ?, ?, ?, ?, 7, NULL, 'bob', 'old-lab', ?, 2)",
            [
                OLD_PAPER,
                OLD_TITLE,
                "We train reasoning models with reinforcement learning policies.",
                datetime(2024, 5, 30, 9),
                OLD_DAY,
                ["RL"],
            ],
        )
        con.execute("INSERT INTO authors (author_id, name, hf_username, identity_key) VALUES (?, ?, ?, ?)", list(DANA))
        con.executemany(
            "INSERT INTO paper_authors VALUES (?, ?, ?, ?, ?)",
            [(OLD_PAPER, "a-dana", 1, DANA[1], OLD_DAY), (OLD_PAPER, "a-ann", 2, "Ann Li", OLD_DAY)],
        )
        con.execute("INSERT INTO votes VALUES (?, ?, 7, NULL, ?)", [OLD_PAPER, datetime(2024, 6, 3, 8), OLD_DAY])
        _rebuild_what_depends_on_papers(con)
    finally:
        con.close()
    return path


# A prolific author for paging: Pia Park on PROLIFIC_PAPERS papers listed one a day from
# 2023-06-01 (older than every other paper, no organisation or submitter), paper i with i upvotes,
# each with one co-author of her own (Co 1 .. Co 55), so both her tables have a second page.
PIA = ("a-pia", "Pia Park", None, "name:pia park")
PROLIFIC_PAPERS = 55
PROLIFIC_START = date(2023, 6, 1)


def add_prolific_author(path: Path) -> Path:
    """Add Pia Park's papers (see PIA) to the warehouse at `path`, then rebuild what depends on papers."""
    papers = [(f"2306.{i:05d}", PROLIFIC_START + timedelta(days=i - 1), i) for i in range(1, PROLIFIC_PAPERS + 1)]
    con = connect_writer(path)
    try:
        con.executemany(
            "INSERT INTO papers (paper_id, title, summary, listing_date, upvotes, author_count) VALUES (?, ?, ?, ?, ?, 2)",
            [(pid, f"Prolific study {i}", "A study.", day, i) for (pid, day, i) in papers],
        )
        authors = [PIA, *((f"a-co{i}", f"Co {i}", None, f"name:co {i}") for i in range(1, PROLIFIC_PAPERS + 1))]
        con.executemany("INSERT INTO authors (author_id, name, hf_username, identity_key) VALUES (?, ?, ?, ?)", authors)
        con.executemany(
            "INSERT INTO paper_authors VALUES (?, ?, ?, ?, ?)",
            [row for (pid, day, i) in papers for row in ((pid, "a-pia", 1, PIA[1], day), (pid, f"a-co{i}", 2, f"Co {i}", day))],
        )
        _rebuild_what_depends_on_papers(con)
    finally:
        con.close()
    return path


def _rebuild_what_depends_on_papers(con) -> None:
    """What the load does after inserting rows: author_papers, author keys, the derived tables."""
    refresh_author_papers(con)
    fill_author_keys(con)
    rebuild_derived_tables(con)
    con.execute("CHECKPOINT")
