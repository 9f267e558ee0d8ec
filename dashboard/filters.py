"""The Papers page's filter set, and the SQL it turns into (values bound, identifiers fixed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DATE_COLUMNS = {"listing": "p.listing_date", "arxiv": "CAST(p.published_at AS DATE)"}
RANKINGS = {
    "upvotes": "p.upvotes DESC, p.listing_date DESC",
    "hotness": "v.hotness DESC NULLS LAST, p.upvotes DESC",
    "velocity": "v.upvotes_per_day DESC NULLS LAST, p.upvotes DESC",
}


@dataclass(frozen=True)
class PaperFilters:
    """What a user can narrow the Papers table by; every field is optional."""

    start: date | None = None
    end: date | None = None
    date_basis: str = "listing"
    organizations: tuple[str, ...] = ()
    submitters: tuple[str, ...] = ()
    include_keywords: tuple[str, ...] = ()
    exclude_keywords: tuple[str, ...] = ()
    has_github: bool = False
    min_upvotes: int = 0
    rank_by: str = "upvotes"
    limit: int = 500

    def __post_init__(self) -> None:
        if self.date_basis not in DATE_COLUMNS:
            raise ValueError(f"date_basis must be one of {sorted(DATE_COLUMNS)}, not {self.date_basis!r}")
        if self.rank_by not in RANKINGS:
            raise ValueError(f"rank_by must be one of {sorted(RANKINGS)}, not {self.rank_by!r}")


def where_clause(filters: PaperFilters) -> tuple[str, list]:
    """SQL conditions on `papers p` for `filters`, and their parameters in order."""
    conditions: list[str] = ["TRUE"]
    params: list = []
    day = DATE_COLUMNS[filters.date_basis]
    if filters.start:
        conditions.append(f"{day} >= ?")
        params.append(filters.start)
    if filters.end:
        conditions.append(f"{day} <= ?")
        params.append(filters.end)
    if filters.organizations:
        conditions.append("list_contains(?, p.organization)")
        params.append(list(filters.organizations))
    if filters.submitters:
        conditions.append("list_contains(?, p.submitted_by)")
        params.append(list(filters.submitters))
    # normalise_keyword (views/040_keywords.sql): the same keywords the pickers and trends show
    normalised = "list_transform(coalesce(p.ai_keywords, []), lambda k: normalise_keyword(k))"
    if filters.include_keywords:
        conditions.append(f"list_has_any({normalised}, ?)")
        params.append([k.lower() for k in filters.include_keywords])
    if filters.exclude_keywords:
        conditions.append(f"NOT list_has_any({normalised}, ?)")
        params.append([k.lower() for k in filters.exclude_keywords])
    if filters.has_github:
        conditions.append("p.github_repo IS NOT NULL AND p.github_repo <> ''")
    if filters.min_upvotes:
        conditions.append("p.upvotes >= ?")
        params.append(filters.min_upvotes)
    return " AND ".join(conditions), params
