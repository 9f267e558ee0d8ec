"""The digest of a week as plain values, from the rows the queries read (pure: no I/O, no clock).

The order of every list is the order the warehouse gave: the digest never re-ranks papers, so its
ranking is the warehouse's (paper_cards_between) by construction, and tests check it is.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from digest.queries import WeekRows
from digest.weeks import Week

HF_PAPER_URL = "https://huggingface.co/papers/{paper_id}"
SHOWN_AUTHORS = 3


@dataclass(frozen=True)
class PaperItem:
    """One paper of the digest."""

    rank: int
    paper_id: str
    title: str
    url: str
    listing_date: date
    upvotes: int
    authors: str  # the first three names, then "et al." when there are more
    author_names: list[str]
    organization: str | None  # display name, else the slug
    github_url: str | None
    summary: str | None


@dataclass(frozen=True)
class Riser:
    """A paper of the week that gained upvotes fastest over its vote history."""

    paper_id: str
    title: str
    url: str
    upvotes_per_day: float
    first_upvotes: int
    latest_upvotes: int
    observations: int


@dataclass(frozen=True)
class Figures:
    """The week's totals and the week before's."""

    papers: int
    upvotes: int
    previous_papers: int
    previous_upvotes: int

    @property
    def against_previous(self) -> str:
        """'papers +12 %, upvotes -3 % against the week before (40 papers, 500 upvotes)'."""
        if not self.previous_papers:
            return "the week before has no papers in this warehouse"
        return (
            f"papers {change(self.papers, self.previous_papers)}, upvotes {change(self.upvotes, self.previous_upvotes)} "
            f"against the week before ({count_of(self.previous_papers, 'paper')}, {count_of(self.previous_upvotes, 'upvote')})"
        )


@dataclass(frozen=True)
class Digest:
    """Everything one week's digest shows, ready for a template."""

    week: Week
    papers: list[PaperItem]
    papers_per_day: list[tuple[date, int]]
    risers: list[Riser]
    keywords: list[dict]  # keyword, papers, baseline_mean, z_score
    authors: list[dict]  # rank, name, papers, total_upvotes
    organizations: list[dict]  # rank, name, papers, total_upvotes
    figures: Figures
    warehouse_first_day: date | None  # the warehouse's listing dates, to say what it covers
    warehouse_last_day: date | None

    @property
    def is_empty(self) -> bool:
        return not self.papers


def count_of(n: int, noun: str) -> str:
    """'1 paper', '1,204 papers' (nouns that take an s)."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def change(now: int, before: int) -> str:
    """'+12 %', '-3 %' or 'no change' against the week before (which must have had some)."""
    percent = round(100 * (now - before) / before)
    return "no change" if percent == 0 else f"{percent:+d} %"


def paper_url(paper_id: str) -> str:
    """The paper's page on huggingface.co."""
    return HF_PAPER_URL.format(paper_id=paper_id)


def github_url(repo: str | None) -> str | None:
    """A repository link: HF gives full URLs; a bare 'owner/name' is completed."""
    if not repo:
        return None
    return repo if repo.startswith(("https://", "http://")) else f"https://github.com/{repo}"


def author_line(names: list[str], author_count: int) -> str:
    """'A, B, C et al.' (the first SHOWN_AUTHORS names of `author_count`)."""
    shown = ", ".join(names[:SHOWN_AUTHORS])
    return f"{shown} et al." if author_count > SHOWN_AUTHORS and shown else shown


def paper_items(papers: list[dict]) -> list[PaperItem]:
    """The papers in the order given, ranked 1, 2, ..."""
    return [
        PaperItem(
            rank=rank,
            paper_id=p["paper_id"],
            title=p["title"],
            url=paper_url(p["paper_id"]),
            listing_date=p["listing_date"],
            upvotes=p["upvotes"],
            authors=author_line(p["first_authors"], p["author_count"]),
            author_names=list(p["first_authors"][:SHOWN_AUTHORS]),
            organization=p["organization_name"] or p["organization"],
            github_url=github_url(p["github_repo"]),
            summary=p["summary"],
        )
        for rank, p in enumerate(papers, start=1)
    ]


def shape_week(data: WeekRows) -> Digest:
    """The digest of `data.week`."""
    per_day = Counter(p["listing_date"] for p in data.papers)
    return Digest(
        week=data.week,
        papers=paper_items(data.papers),
        papers_per_day=[(day, per_day.get(day, 0)) for day in data.week.days],
        risers=[
            Riser(
                paper_id=r["paper_id"],
                title=r["title"],
                url=paper_url(r["paper_id"]),
                upvotes_per_day=float(r["upvotes_per_day"]),
                first_upvotes=r["first_upvotes"],
                latest_upvotes=r["latest_upvotes"],
                observations=r["observations"],
            )
            for r in data.risers
        ],
        keywords=list(data.keywords),
        authors=list(data.authors),
        organizations=[{**o, "name": o["fullname"] or o["organization"]} for o in data.organizations],
        figures=Figures(
            papers=data.totals["papers"],
            upvotes=int(data.totals["upvotes"]),
            previous_papers=data.previous_totals["papers"],
            previous_upvotes=int(data.previous_totals["upvotes"]),
        ),
        warehouse_first_day=data.warehouse_first_day,
        warehouse_last_day=data.warehouse_last_day,
    )
