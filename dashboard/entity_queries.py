"""Queries behind the entity pages (one author, organisation or submitter, all time) and the
author search, on the macros of warehouse/views/060_entities.sql.

Mixed into `WarehouseRepository`, which provides `frame()`. `kind` is 'authors',
'organizations' or 'submitters' (as on the leaderboards); `key` is an author id, an organisation
slug or an HF username.
"""

from __future__ import annotations

import polars as pl

PAPERS_OF = {
    "authors": "author_papers_of",
    "organizations": "organization_papers_of",
    "submitters": "submitter_papers_of",
}
# Name, HF username and the like of one entity; None when the key is unknown. A slug or username
# seen only on papers (no organisations / submitters row) still has a page.
PROFILE_SQL = {
    "authors": "SELECT author_id AS key, name, hf_username FROM authors WHERE author_id = $key",
    "organizations": (
        "SELECT $key AS key, (SELECT fullname FROM organizations WHERE organization = $key) AS name "
        "WHERE EXISTS (SELECT 1 FROM organizations WHERE organization = $key) "
        "OR EXISTS (SELECT 1 FROM papers WHERE organization = $key)"
    ),
    "submitters": (
        "SELECT $key AS key, s.fullname AS name, s.is_hf_staff, s.follower_count "
        "FROM (SELECT $key AS username) AS k LEFT JOIN submitters AS s USING (username) "
        "WHERE s.username IS NOT NULL OR EXISTS (SELECT 1 FROM papers WHERE submitted_by = $key)"
    ),
}
ENTITY_NEEDS = [*PAPERS_OF.values(), "people_of", "find_authors"]


def _check(kind: str) -> None:
    if kind not in PAPERS_OF:
        raise ValueError(f"kind must be one of {sorted(PAPERS_OF)}, not {kind!r}")


class EntityQueries:
    """Methods for the author, organisation and submitter pages."""

    def frame(self, sql: str, params: list | dict | None = None) -> pl.DataFrame:  # pragma: no cover
        raise NotImplementedError

    def entity_profile(self, kind: str, key: str) -> dict | None:
        """Who `key` is: its key, display name (None when unknown) and, for a submitter, staff and
        follower figures; None when the warehouse has never seen it."""
        _check(kind)
        rows = self.frame(PROFILE_SQL[kind], {"key": key})
        return rows.row(0, named=True) if rows.height else None

    def entity_papers(self, kind: str, key: str) -> pl.DataFrame:
        """Every paper of one author, organisation or submitter, most upvoted first."""
        _check(kind)
        return self.frame(
            f"SELECT * FROM {PAPERS_OF[kind]}($key) ORDER BY upvotes DESC, listing_date DESC, paper_id",
            {"key": key},
        )

    def entity_people(self, kind: str, key: str, limit: int = 200) -> pl.DataFrame:
        """The people on the entity's papers (for an author: the co-authors), most shared papers
        first: author_id, name, hf_username, papers, upvotes, last_listing_date."""
        _check(kind)
        return self.frame("SELECT * FROM people_of($kind, $key, $limit)", {"kind": kind, "key": key, "limit": limit})

    def find_authors(self, name_text: str, limit: int = 50) -> pl.DataFrame:
        """Authors whose name contains every word of `name_text` (or whose HF username it is),
        exact matches first, then those with most papers."""
        if not name_text.strip():
            return self.frame("SELECT * FROM find_authors('', 0)")
        return self.frame("SELECT * FROM find_authors($text, $limit)", {"text": name_text, "limit": limit})
