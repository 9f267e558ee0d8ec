"""build_listing_tables on small inline records: every table, column by column."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

import polars as pl
from polars.testing import assert_frame_equal

from tests.transforms.api_pages import FETCHED_AT, FETCHED_AT_UTC, page
from transforms import author_id_for, build_listing_tables, table_schemas

DAY = date(2025, 1, 2)

# Oldest shape (era A): mediaUrl, no submittedBy, titles and abstracts hard-wrapped by arXiv.
ERA_A = {
    "paper": {
        "id": "2405.00001",
        "authors": [
            # claimed HF account: keyed by username, listed name kept
            {
                "_id": "x1",
                "name": "Chunjiang Ge",
                "hidden": False,
                "status": "admin_assigned",
                "user": {"user": "ChunjiangGe", "fullname": "C. Ge"},
            },
            # plain name with an accent
            {"_id": "x2", "name": "Zoë Ng", "hidden": False},
        ],
        "publishedAt": "2024-05-24T17:34:15.000Z",
        "title": "ConvLLaVA: Large Multimodal\n  Models",
        "summary": "High-resolution models\nencounter challenges.\n  New paragraph.",
        "upvotes": 32,
    },
    "publishedAt": "2024-05-27T03:50:58.348Z",
    "title": "ConvLLaVA: Large Multimodal Models",
    "mediaUrl": "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2405.00001.png",
    "numComments": 3,
}

# Newest shape (era D): organisation, GitHub repo with a trailing slash, ai_* fields,
# item-level submittedBy with a site-relative avatar, summary at both levels.
ERA_D = {
    "paper": {
        "id": "2512.00002",
        "authors": [
            # same person as ERA_A's second author, printed without the accent and in capitals
            {"_id": "y1", "name": "ZOE NG", "hidden": False},
            # hidden author: the slot is kept
            {"_id": "y2", "name": "Hidden Person", "hidden": True},
            # listed twice on one paper: two slots, one author
            {"_id": "y3", "name": "Zoe Ng", "hidden": False},
        ],
        "publishedAt": "2025-12-23T17:56:36.000Z",
        "submittedOnDailyAt": "2025-12-25T00:20:37.914Z",
        "title": "T2AV-Compass",
        "submittedOnDailyBy": {"user": "CheeryLJH", "fullname": "Jiaheng Liu", "avatarUrl": "/avatars/x.svg"},
        "summary": "Paper-level abstract.",
        "upvotes": 12,
        "discussionId": "694ca45e746a34b55dd542eb",
        "githubRepo": "https://github.com/NJU-LINK/T2AV-Compass/",
        "githubRepoAddedBy": "user",
        "githubStars": 0,
        "projectPage": "https://nju-link.github.io/T2AV-Compass/",
        "ai_summary": "One sentence.",
        "ai_keywords": ["audio-video", "benchmark"],
        "organization": {"_id": "o1", "name": "NJU-LINK", "fullname": "NJU-LINK Lab ", "avatar": "https://cdn/x.png"},
    },
    "publishedAt": "2025-12-23T12:56:36.000Z",
    "title": "T2AV-Compass",
    "summary": "Item-level abstract (ignored: paper.summary wins).",
    "thumbnail": "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2512.00002.png",
    "numComments": 1,
    "submittedBy": {
        "_id": "s1",
        "name": "CheeryLJH",
        "fullname": "Jiaheng Liu",
        "avatarUrl": "/avatars/x.svg",
        "isHf": False,
        "followerCount": 25,
        "type": "user",
    },
    "organization": {"_id": "o1", "name": "NJU-LINK", "fullname": "NJU-LINK Lab ", "avatar": "https://cdn/x.png"},
    "isAuthorParticipating": False,
}

# Era E-like: no item-level submittedBy or paper organisation; falls back to
# paper.submittedOnDailyBy and the item-level organisation; no authors at all.
FALLBACKS = {
    "paper": {
        "id": "2606.00003",
        "authors": [],
        "publishedAt": "2026-05-28T00:00:00.000Z",
        "title": "Fallbacks",
        "summary": "S.",
        "upvotes": 0,
        "submittedOnDailyBy": {"user": "akhaliq", "fullname": "AK", "avatarUrl": "https://cdn/ak.png"},
    },
    "title": "Fallbacks",
    "numComments": 0,
    "organization": {"name": "deepseek-ai", "fullname": "DeepSeek", "avatar": "https://cdn/ds.png"},
}

TABLES = build_listing_tables([page(ERA_A, ERA_D), page(FALLBACKS)], DAY, FETCHED_AT)

ZOE = author_id_for("name:zoe ng")
GE = author_id_for("hf:ChunjiangGe")
HIDDEN = author_id_for("name:hidden person")


def test_papers():
    expected = pl.DataFrame(
        {
            "paper_id": ["2405.00001", "2512.00002", "2606.00003"],
            "title": ["ConvLLaVA: Large Multimodal Models", "T2AV-Compass", "Fallbacks"],
            "summary": ["High-resolution models encounter challenges. New paragraph.", "Paper-level abstract.", "S."],
            "published_at": [datetime(2024, 5, 24, 17, 34, 15), datetime(2025, 12, 23, 17, 56, 36), datetime(2026, 5, 28)],
            "listing_date": [DAY] * 3,
            "upvotes": [32, 12, 0],
            "num_comments": [3, 1, 0],
            "submitted_by": [None, "CheeryLJH", "akhaliq"],
            "organization": [None, "NJU-LINK", "deepseek-ai"],
            "github_repo": [None, "https://github.com/NJU-LINK/T2AV-Compass", None],
            "github_stars": [None, 0, None],
            "project_page": [None, "https://nju-link.github.io/T2AV-Compass/", None],
            "ai_summary": [None, "One sentence.", None],
            "ai_keywords": [None, ["audio-video", "benchmark"], None],
            "discussion_id": [None, "694ca45e746a34b55dd542eb", None],
            "thumbnail": [
                "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2405.00001.png",
                "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2512.00002.png",
                None,
            ],
            "author_count": [2, 3, 0],
        },
        schema=table_schemas.PAPERS,
    )
    assert_frame_equal(TABLES.papers, expected)


def test_paper_authors_keep_every_slot_in_order():
    expected = pl.DataFrame(
        {
            "paper_id": ["2405.00001", "2405.00001", "2512.00002", "2512.00002", "2512.00002"],
            "author_id": [GE, ZOE, ZOE, HIDDEN, ZOE],
            "position": [1, 2, 1, 2, 3],
            "name_as_listed": ["Chunjiang Ge", "Zoë Ng", "ZOE NG", "Hidden Person", "Zoe Ng"],
            "listing_date": [DAY] * 5,
        },
        schema=table_schemas.PAPER_AUTHORS,
    )
    assert_frame_equal(TABLES.paper_authors, expected)


def test_authors_deduplicated_first_listed_name_wins():
    expected = pl.DataFrame(
        {
            "author_id": [GE, ZOE, HIDDEN],
            "name": ["Chunjiang Ge", "Zoë Ng", "Hidden Person"],
            "hf_username": ["ChunjiangGe", None, None],
            "identity_key": ["hf:ChunjiangGe", "name:zoe ng", "name:hidden person"],
            # author_key: the first 16 hex digits of md5(author_id), as a number
            "author_key": [int(hashlib.md5(a.encode()).hexdigest()[:16], 16) for a in (GE, ZOE, HIDDEN)],
            "name_folded": [None, None, None],  # folded by the load, in DuckDB
        },
        schema=table_schemas.AUTHORS,
    )
    assert_frame_equal(TABLES.authors, expected)


def test_votes_one_row_per_paper_observed_at_fetch_time():
    expected = pl.DataFrame(
        {
            "paper_id": ["2405.00001", "2512.00002", "2606.00003"],
            "observed_at": [FETCHED_AT_UTC] * 3,
            "upvotes": [32, 12, 0],
            "num_comments": [3, 1, 0],
            "listing_date": [DAY] * 3,
        },
        schema=table_schemas.VOTES,
    )
    assert_frame_equal(TABLES.votes, expected)


def test_submitters_and_organizations():
    submitters = pl.DataFrame(
        {
            # item-level submittedBy: relative avatar made absolute, staff flag and followers kept
            "username": ["CheeryLJH", "akhaliq"],
            "fullname": ["Jiaheng Liu", "AK"],
            "avatar_url": ["https://huggingface.co/avatars/x.svg", "https://cdn/ak.png"],
            # paper-level submittedOnDailyBy carries neither
            "is_hf_staff": [False, None],
            "follower_count": [25, None],
        },
        schema=table_schemas.SUBMITTERS,
    )
    organizations = pl.DataFrame(
        {
            "organization": ["NJU-LINK", "deepseek-ai"],
            "fullname": ["NJU-LINK Lab", "DeepSeek"],  # trailing space trimmed
            "avatar_url": ["https://cdn/x.png", "https://cdn/ds.png"],
        },
        schema=table_schemas.ORGANIZATIONS,
    )
    assert_frame_equal(TABLES.submitters, submitters)
    assert_frame_equal(TABLES.organizations, organizations)


def test_counts_and_nothing_quarantined():
    assert TABLES.raw_records == 3
    assert TABLES.duplicate_records == 0
    assert TABLES.quarantined.is_empty()
    assert TABLES.quarantined.schema == table_schemas.QUARANTINED
