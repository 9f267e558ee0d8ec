"""Which optional fields a generated item carries, by API era (see hf_api/sample_days/SCHEMA.md).

Rates are the fixtures' own: e.g. era D has `organization` on 10/13 items, `githubRepo` on 6/13,
`ai_keywords` on 3/13; era E (observed) has keywords on 9/18 and an organisation on 8/18.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Era:
    """Field presence for one era; shares are per item."""

    name: str
    submitter: bool  # item submittedBy (B onwards)
    discussion_id: bool
    thumbnail_key: str  # 'mediaUrl' in A, 'thumbnail' later
    item_summary: bool  # D, E duplicate the abstract at item level
    hard_wrapped: bool  # A-C keep arXiv line breaks in paper.title / summary
    daily_submission: bool  # paper.submittedOnDailyAt / submittedOnDailyBy (D, E)
    linked_author_share: float  # author slots with a linked HF user
    media_share: float
    organization_share: float
    github_share: float
    project_page_share: float
    ai_share: float  # ai_summary + ai_keywords
    item_published_shift_h: float | None  # D: paper.publishedAt - 5 h, E: - 4 h; None: a submit time


ERAS = {
    "A": Era("A", False, False, "mediaUrl", False, True, False, 51 / 97, 0.0, 0.0, 0.0, 0.0, 0.0, None),
    "C": Era("C", True, True, "thumbnail", False, True, False, 3 / 241, 4 / 20, 0.0, 0.0, 0.0, 0.0, None),
    "D": Era("D", True, True, "thumbnail", True, False, True, 0.02, 5 / 13, 10 / 13, 6 / 13, 5 / 13, 3 / 13, 5.0),
    "E": Era("E", True, True, "thumbnail", True, False, True, 0.02, 5 / 13, 8 / 18, 6 / 13, 5 / 13, 9 / 18, 4.0),
}
# Where each era starts (listing date), when eras follow the date ("by_date" mode).
ERA_STARTS = ((date(2024, 8, 1), "C"), (date(2025, 9, 1), "D"), (date(2026, 5, 1), "E"))


def era_for(day: date, mode: str) -> Era:
    """The era a generated day uses: 'current' = today's shape (E) for every date, as a backfill
    run today gets; 'by_date' = the shape archived dumps of that date have (A .. E)."""
    if mode == "current":
        return ERAS["E"]
    if mode != "by_date":
        raise ValueError(f"era mode must be 'current' or 'by_date', not {mode!r}")
    name = "A"
    for start, era in ERA_STARTS:
        if day >= start:
            name = era
    return ERAS[name]
