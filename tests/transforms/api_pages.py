"""Helpers for transform tests: inline API items -> page bytes, and the fixed fetch time."""

from __future__ import annotations

import json
from datetime import UTC, datetime

# A fetch time with an offset, so the UTC conversion is exercised: 2025-01-02 03:04:05 UTC.
FETCHED_AT = datetime.fromisoformat("2025-01-02T05:04:05+02:00")
FETCHED_AT_UTC = datetime(2025, 1, 2, 3, 4, 5)
assert FETCHED_AT.astimezone(UTC).replace(tzinfo=None) == FETCHED_AT_UTC


def page(*items: object) -> bytes:
    """The JSON body of one GET /api/daily_papers page holding `items`."""
    return json.dumps(list(items), ensure_ascii=False).encode("utf-8")


def paper_item(paper_id: str, *, upvotes: int = 1, authors: list | None = None, **paper_fields: object) -> dict:
    """A minimal valid item (era A shape): only the keys every era has."""
    return {
        "paper": {
            "id": paper_id,
            "authors": authors if authors is not None else [{"_id": f"{paper_id}-a", "name": "Ann Lee", "hidden": False}],
            "publishedAt": "2024-05-24T17:34:15.000Z",
            "title": f"Title of {paper_id}",
            "summary": "An abstract.",
            "upvotes": upvotes,
            **paper_fields,
        },
        "publishedAt": "2024-05-27T03:50:58.348Z",
        "title": f"Title of {paper_id}",
        "numComments": 0,
    }
