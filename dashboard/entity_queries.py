"""Queries behind the entity pages (one author, organisation or submitter, all time) and the
author search, on the macros of warehouse/views/060_entities.sql.

Mixed into `WarehouseRepository`, which provides `frame()`. `kind` is 'authors',
'organizations' or 'submitters' (as on the leaderboards); `key` is an author id, an organisation
slug or an HF username. The entity page asks for `entity_keys` once and passes them to the other
methods (`keys=`), which then answer from them (dashboard/entity_keys.py) instead of scanning for
the entity's papers again; without keys they run the macros of 065_entity_pages.sql.
"""

from __future__ import annotations

import polars as pl

from dashboard import entity_keys as ek

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
ENTITY_NEEDS = [
    *PAPERS_OF.values(),
    "people_of",
    "find_authors",
    "entity_figures",
    "entity_months",
    "entity_papers_ranked",
    "entity_papers_by",
    "people_on_latest",
]
# What the related table of a kind groups its papers by: an organisation's submitters, else the
# organisations of the papers.
RELATED_COLUMN = {"authors": "organization", "organizations": "submitted_by", "submitters": "organization"}


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

    def entity_keys(self, kind: str, key: str) -> pl.DataFrame:
        """paper_id, listing_date, upvotes and the column its related table counts (organization;
        for an organisation submitted_by) of every paper of one entity (one scan; remembered per
        published snapshot like every frame): what the other entity methods take as `keys`."""
        _check(kind)
        return self.frame(ek.KEYS_SQL[kind], {"key": key})

    def entity_figures(self, kind: str, key: str, keys: pl.DataFrame | None = None) -> dict:
        """papers, upvotes, median_upvotes, first_listing_date and last_listing_date of one entity,
        all time, from aggregates (no paper row is read), or from its `keys`."""
        _check(kind)
        if keys is not None:
            return ek.figures(keys)
        return self.frame("SELECT * FROM entity_figures($kind, $key)", {"kind": kind, "key": key}).row(0, named=True)

    def entity_months(self, kind: str, key: str, keys: pl.DataFrame | None = None) -> pl.DataFrame:
        """Papers and upvotes per calendar month with papers (month is its first day), oldest first."""
        _check(kind)
        if keys is not None:
            return ek.months(keys)
        return self.frame("SELECT * FROM entity_months($kind, $key)", {"kind": kind, "key": key})

    def entity_papers_page(
        self, kind: str, key: str, limit: int, offset: int = 0, keys: pl.DataFrame | None = None
    ) -> pl.DataFrame:
        """Rows offset+1 .. offset+limit of `entity_papers` (most upvoted first), read alone."""
        _check(kind)
        if keys is not None:
            ids = ek.ranked_ids(keys, limit, offset)
            return ek.in_rank_order(self.frame(ek.PAPERS_BY_ID_SQL, {"ids": ids}), ids)
        return self.frame(
            "SELECT * FROM entity_papers_ranked($kind, $key, $limit, $offset)",
            {"kind": kind, "key": key, "limit": limit, "offset": offset},
        )

    def entity_related(self, kind: str, key: str, limit: int = 50, keys: pl.DataFrame | None = None) -> pl.DataFrame:
        """The organisations of the entity's papers (for an organisation: their submitters), most
        papers first: value, papers, upvotes, last_listing_date."""
        _check(kind)
        if keys is not None:
            return ek.related(keys, RELATED_COLUMN[kind], limit)
        return self.frame(
            "SELECT * FROM entity_papers_by($kind, $key, $column, $limit)",
            {"kind": kind, "key": key, "column": RELATED_COLUMN[kind], "limit": limit},
        )

    def entity_people_page(
        self,
        kind: str,
        key: str,
        limit: int,
        offset: int = 0,
        latest: int | None = None,
        keys: pl.DataFrame | None = None,
    ) -> pl.DataFrame:
        """One page of the people on the entity's `latest` most recent papers (None: all): the
        columns of people_of (author_id, name, hf_username, papers, upvotes, last_listing_date) plus
        people, how many there are in all."""
        _check(kind)
        if keys is not None:
            chosen = ek.latest(keys, latest)
            first, last = chosen["listing_date"].min(), chosen["listing_date"].max()
            return self.frame(
                ek.PEOPLE_SQL,
                {
                    "kind": kind,
                    "key": key,
                    "ids": chosen["paper_id"].to_list(),
                    "first": first,
                    "last": last,
                    "limit": limit,
                    "offset": offset,
                },
            )
        return self.frame(
            "SELECT * FROM people_on_latest($kind, $key, $latest, $limit, $offset)",
            {"kind": kind, "key": key, "latest": latest, "limit": limit, "offset": offset},
        )

    def find_authors(self, name_text: str, limit: int = 50) -> pl.DataFrame:
        """Authors whose name contains every word of `name_text` (or whose HF username it is),
        exact matches first, then those with most papers."""
        if not name_text.strip():
            return self.frame("SELECT * FROM find_authors('', 0)")
        return self.frame("SELECT * FROM find_authors($text, $limit)", {"text": name_text, "limit": limit})
