"""How much of the author slots the most prolific people fill, in recorded or generated days: the
statistic bench/pools.py's AUTHOR_SKEW is fitted to (tests/bench/test_author_spread.py).

Two figures over a set of daily_papers items (each author counted once per paper, by name): the
busiest author's share of the papers, and the share of author slots the top 1% of authors fill.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class AuthorSpread:
    """papers, authors, busiest_share (of papers), top_share (of slots, top 1% of authors)."""

    papers: int
    authors: int
    busiest_share: float
    top_share: float


def author_spread(items: list[dict]) -> AuthorSpread:
    """The spread of authors over `items` (API items: {'paper': {'authors': [{'name': ...}]}})."""
    if not items:
        raise ValueError("author_spread of no items")
    papers_of: Counter[str] = Counter()
    for item in items:
        papers_of.update({author["name"] for author in item["paper"].get("authors", [])})
    counts = [n for _, n in papers_of.most_common()]
    slots = sum(counts)
    top = max(1, len(counts) // 100)
    return AuthorSpread(
        papers=len(items),
        authors=len(counts),
        busiest_share=counts[0] / len(items) if counts else 0.0,
        top_share=sum(counts[:top]) / slots if slots else 0.0,
    )
