"""A small, hand-checkable published warehouse for dashboard tests (AppTest and browser).

Newest listing date is 2025-01-14, so "the last 14 days" is 2025-01-01..2025-01-14 and the 14
days before it are 2024-12-18..2024-12-31. Expected numbers in the tests are worked out from
the rows below; each row says why it is here.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

from papers_settings import Settings
from warehouse.author_papers import fill_author_keys, refresh_author_papers
from warehouse.db import connect_writer
from warehouse.derived import rebuild_derived_tables
from warehouse.keywords import refresh_keyword_weeks

NEWEST = date(2025, 1, 14)

# fmt: off
PAPERS = [
    # (paper_id, title, summary, published_at, listing_date, upvotes, comments, submitter, org, github, project_page, keywords, authors)
    # Top paper: has GitHub and a project page, three vote observations (velocity), two keywords.
    ("2501.00001", "Reasoning with Reinforcement", "We train reasoning models with RL.", datetime(2025, 1, 3, 17), date(2025, 1, 6), 50, 2, "akhaliq", "deepseek-ai", "https://github.com/ds/r1", "https://r1.example", ["Reasoning", "RL"], 2),
    # Same day, no organisation, no GitHub: the has-GitHub filter drops it.
    ("2501.00002", "Fast Diffusion Samplers", "A sampler for diffusion models.", datetime(2025, 1, 4, 9), date(2025, 1, 6), 10, 0, "alice", None, None, None, ["diffusion"], 1),
    # Next day, another organisation; shares the 'reasoning' keyword with the first.
    ("2501.00003", "Chain of Thought at Scale", "Reasoning traces at scale.", datetime(2025, 1, 5, 12), date(2025, 1, 7), 30, 1, "akhaliq", "google", "https://github.com/g/cot", None, ["reasoning"], 2),
    # Newest day, a week later; no keywords at all (NULL), low upvotes.
    ("2501.00004", "A Small Benchmark", "We propose a benchmark.", datetime(2025, 1, 10, 8), NEWEST, 5, 0, "bob", "deepseek-ai", None, None, None, 1),
    # Previous period (2024-12-30): the baseline for the KPI deltas; arXiv date two weeks earlier.
    ("2412.00005", "Policy Gradients Revisited", "RL policy gradients again.", datetime(2024, 12, 16, 8), date(2024, 12, 30), 20, 3, "alice", None, None, None, ["RL"], 1),
]
# fmt: on

AUTHORS = [
    ("a-ann", "Ann Li", "annli", "hf:annli"),  # claimed author on three papers
    ("a-ben", "Ben Lee", None, "name:ben lee"),  # unclaimed, two papers
    ("a-cat", "Cat Kim", None, "name:cat kim"),  # unclaimed, two papers
]

PAPER_AUTHORS = [
    ("2501.00001", "a-ann", 1),
    ("2501.00001", "a-ben", 2),
    ("2501.00002", "a-cat", 1),
    ("2501.00003", "a-ann", 1),
    ("2501.00003", "a-cat", 2),
    ("2501.00004", "a-ben", 1),
    ("2412.00005", "a-ann", 1),
]

VOTES = [
    # The top paper was seen three times as its count grew: 10 -> 40 -> 50.
    ("2501.00001", datetime(2025, 1, 6, 8), 10),
    ("2501.00001", datetime(2025, 1, 6, 20), 40),
    ("2501.00001", datetime(2025, 1, 7, 8), 50),
    # Every other paper was seen once, at its final count.
    ("2501.00002", datetime(2025, 1, 6, 8), 10),
    ("2501.00003", datetime(2025, 1, 7, 8), 30),
    ("2501.00004", datetime(2025, 1, 14, 8), 5),
    ("2412.00005", datetime(2024, 12, 30, 8), 20),
]

# Loaded days: 2024-12-30, 2025-01-06, 2025-01-07, 2025-01-14 -> 16 calendar days, 12 missing.
LOADS = [(date(2024, 12, 30), 1, 0), (date(2025, 1, 6), 2, 0), (date(2025, 1, 7), 1, 1), (NEWEST, 1, 0)]


def seed_warehouse(path: Path, published_at: datetime = datetime(2025, 1, 14, 12)) -> Path:
    """Write the rows above to a fresh, checkpointed warehouse file at `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = connect_writer(path)
    try:
        columns = [
            "paper_id",
            "title",
            "summary",
            "published_at",
            "listing_date",
            "upvotes",
            "num_comments",
            "submitted_by",
            "organization",
            "github_repo",
            "project_page",
            "ai_keywords",
            "author_count",
        ]
        rows = [list(p) for p in PAPERS]
        # papers.fetched_at is being dropped from the core DDL; fill it only where it still exists.
        if "fetched_at" in [r[0] for r in con.execute("SELECT name FROM pragma_table_info('papers')").fetchall()]:
            columns.append("fetched_at")
            rows = [[*p, datetime.combine(p[4], datetime.min.time()).replace(hour=8)] for p in PAPERS]
        con.executemany(f"INSERT INTO papers ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)
        con.executemany("INSERT INTO authors (author_id, name, hf_username, identity_key) VALUES (?, ?, ?, ?)", AUTHORS)
        listing = {p[0]: p[4] for p in PAPERS}
        names = {a[0]: a[1] for a in AUTHORS}
        con.executemany(
            "INSERT INTO paper_authors VALUES (?, ?, ?, ?, ?)",
            [(pid, aid, pos, names[aid], listing[pid]) for pid, aid, pos in PAPER_AUTHORS],
        )
        con.executemany("INSERT INTO votes VALUES (?, ?, ?, NULL, ?)", [(pid, at, up, listing[pid]) for pid, at, up in VOTES])
        con.executemany(
            "INSERT INTO submitters (username, fullname) VALUES (?, ?)", [("akhaliq", "AK"), ("alice", "Alice"), ("bob", "Bob")]
        )
        con.executemany(
            "INSERT INTO organizations (organization, fullname) VALUES (?, ?)",
            [("deepseek-ai", "DeepSeek"), ("google", "Google")],
        )
        con.executemany(
            "INSERT INTO partition_loads VALUES (?, ?, 1, ?, ?, ?, ?)",
            [
                (d, datetime.combine(d, datetime.min.time()), n + q, n, q, datetime.combine(d, datetime.min.time()))
                for d, n, q in LOADS
            ],
        )
        # One unreadable record on 2025-01-07: the Data health page lists it.
        con.execute(
            "INSERT INTO quarantined_records VALUES (?, ?, 3, NULL, 'paper.id missing', '{\"paper\": {}}')",
            [date(2025, 1, 7), datetime(2025, 1, 7, 8)],
        )
        con.execute("INSERT INTO publish_log VALUES (?, 'run-1', 4, 5)", [published_at])
        refresh_keyword_weeks(con)  # the weekly keyword tables, as a load does
        refresh_author_papers(con)  # and the author_papers rows and keys
        fill_author_keys(con)
        rebuild_derived_tables(con)  # search index and similar papers, as the search asset does
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def publish_copy(seeded: Path) -> Path:
    """Copy the closed, checkpointed warehouse file `seeded` to the published warehouse path of
    $PAPERS_HOME (seeding once and copying is what keeps the dashboard tests fast)."""
    path = Settings.from_env().warehouse.published_path
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(seeded, path)
    return path
