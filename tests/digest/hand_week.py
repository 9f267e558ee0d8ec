"""A hand-made warehouse around the week of 2024-01-08, whose digest was worked out by hand."""

from __future__ import annotations

from datetime import date, datetime

from tests.warehouse.conftest import HandMadeWarehouse, paper

WEEK = date(2024, 1, 8)  # Monday
MON, WED, SUN = WEEK, date(2024, 1, 10), date(2024, 1, 14)
PREVIOUS, NEXT = date(2024, 1, 3), date(2024, 1, 15)

PAPERS = [
    paper("a1", MON, 50, organization="org-a", github_repo="https://github.com/x/a1", author_count=4, ai_keywords=["agents"]),
    paper("a2", WED, 50, ai_keywords=["Agents"]),  # ties a1 on upvotes: the newer listing ranks first
    paper("a3", WED, 7, title="[Bracket] *star* <b>bold</b> | pipe", ai_keywords=["Diffusion"], summary="An abstract."),
    paper("a4", SUN, 20, organization="org-b", ai_keywords=["agents"]),  # Sunday: still this week
    paper("b1", PREVIOUS, 10, ai_keywords=["diffusion"]),  # the week before: the figures compare with it
    paper("c1", NEXT, 100),  # the week after: never in this digest, first in the feed
]


def listed(paper_id: str, day: date, author_id: str, position: int) -> dict:
    return {"paper_id": paper_id, "listing_date": day, "author_id": author_id, "position": position, "name_as_listed": author_id}


PAPER_AUTHORS = [
    listed("a1", MON, "au-ann", 1),
    listed("a1", MON, "au-bob", 2),
    listed("a1", MON, "au-cy", 3),
    listed("a1", MON, "au-dee", 4),
    listed("a2", WED, "au-ann", 1),
    listed("a4", SUN, "au-bob", 1),
]
AUTHORS = [
    {"author_id": f"au-{name.lower()}", "name": name, "identity_key": f"name:{name.lower()}"}
    for name in ("Ann", "Bob", "Cy", "Dee")
]

VOTES = [
    # a3 gains 6 in 2 days (3 a day); a4 20 in one day; a1 is seen once: no rate
    {"paper_id": "a3", "observed_at": datetime(2024, 1, 10), "upvotes": 1, "listing_date": WED},
    {"paper_id": "a3", "observed_at": datetime(2024, 1, 12), "upvotes": 7, "listing_date": WED},
    {"paper_id": "a4", "observed_at": datetime(2024, 1, 14), "upvotes": 0, "listing_date": SUN},
    {"paper_id": "a4", "observed_at": datetime(2024, 1, 15), "upvotes": 20, "listing_date": SUN},
    {"paper_id": "a1", "observed_at": datetime(2024, 1, 12), "upvotes": 50, "listing_date": MON},
]


def hand_week_warehouse() -> HandMadeWarehouse:
    """The warehouse above (in memory)."""
    warehouse = HandMadeWarehouse()
    warehouse.insert("papers", PAPERS)
    warehouse.insert("paper_authors", PAPER_AUTHORS)
    warehouse.insert("authors", AUTHORS)
    warehouse.insert("organizations", [{"organization": "org-a", "fullname": "Org A"}])
    warehouse.insert("votes", VOTES)
    return warehouse


def hand_week_file(path) -> None:
    """The same warehouse written to a DuckDB file at `path` (as a published one is)."""
    warehouse = hand_week_warehouse()
    try:
        warehouse.con.execute(f"ATTACH '{path}' AS target")
        warehouse.con.execute("COPY FROM DATABASE memory TO target")
        warehouse.con.execute("DETACH target")
    finally:
        warehouse.con.close()


def linked_ids(markdown: str, section: str) -> list[str]:
    """The paper ids linked in one `## section` of a Markdown digest, in order."""
    body = markdown.split(f"## {section}\n")[1].split("\n## ")[0]
    return [line.split("](https://huggingface.co/papers/")[1].split(")")[0] for line in body.splitlines() if "/papers/" in line]
