"""Every query the dashboard runs: the public methods of dashboard.repository.WarehouseRepository,
called with arguments a user would give them (the range a page opens with, the top paper, author,
organisation, keyword...). Methods are found by introspection, so a query added to the
repository is measured without touching the benchmark; one whose arguments are unknown here is
listed as skipped, never silently dropped.

Entity pages are measured on the largest entities of the warehouse (the author on most papers, the
organisation and the submitter with most papers), the author search with the needles people type
(NAME_SEARCHES), and each entity page also whole: every data call its page makes (entity_page[...]).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from datetime import timedelta

PLUMBING = {"exists", "frame", "scalar", "remembered", "missing_objects"}
KIND_KEYS = {"authors": "author_id", "organizations": "organization", "submitters": "submitter"}
# Called by the leaderboard pages, which open on their own range (leaderboard_page.DEFAULT_DAYS);
# the other dated pages open on ui.DEFAULT_DAYS.
LEADERBOARD_PAGE_METHODS = {"leaderboard", "leaderboard_size", "leaderboard_papers", "co_authors", "distinct_authors"}
# Called by the entity pages (dashboard.entity_page), all time: method -> the page's own row limit
# (entity_page_limits); entity_papers gives every row (the CSV download).


def sample_arguments(repo) -> dict:
    """Argument values taken from the warehouse itself (newest window, most upvoted entities)."""
    from dashboard.ui import DEFAULT_DAYS

    newest = repo.scalar("SELECT max(listing_date) FROM papers")
    top = lambda sql: repo.scalar(sql)  # noqa: E731
    # the largest entities: their pages are the slowest to draw
    busiest = top("SELECT author_id FROM paper_authors GROUP BY 1 ORDER BY count(*) DESC, author_id LIMIT 1")
    busiest_name = repo.scalar("SELECT name FROM authors WHERE author_id = $1", [busiest]) or "Li"
    keywords = [
        r
        for r in repo.frame(
            "SELECT k FROM (SELECT lower(unnest(ai_keywords)) AS k FROM papers) GROUP BY k ORDER BY count(*) DESC LIMIT 3"
        )["k"].to_list()
    ]
    return {
        "start": newest - timedelta(days=DEFAULT_DAYS - 1),
        "end": newest,
        "grain": "week",
        "day": newest,
        "paper_id": top("SELECT paper_id FROM papers ORDER BY upvotes DESC, paper_id LIMIT 1"),
        "author_id": busiest,
        "organization": top(
            "SELECT organization FROM papers WHERE organization IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        ),
        "submitter": top(
            "SELECT submitted_by FROM papers WHERE submitted_by IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        ),
        "keywords": keywords,
        "query_text": "language model reasoning",
        "busiest_name": busiest_name,
        "name_text": name_searches(busiest_name)["surname"],
    }


def name_searches(name: str) -> dict[str, str]:
    """The author search as people type it, from the most prolific author's `name`: a common
    two-letter needle (matches most authors), the surname, two words in another order and case
    (the surname and the first name's start), the exact name."""
    words = name.split()
    first, last = words[0], words[-1]
    return {"short": "li", "surname": last, "two_words": f"{last.upper()} {first[:3].lower()}", "exact": name}


def entity_page_limits() -> dict[str, int]:
    """The rows each entity-page method is asked for by the page (dashboard.entity_page)."""
    from dashboard.entity_page import PAGE_ROWS, RELATED_SHOWN

    return {"entity_papers_page": PAGE_ROWS, "entity_people_page": PAGE_ROWS, "entity_related": RELATED_SHOWN}


def entity_page_extras() -> dict[str, int]:
    """Other arguments the entity page passes: the people are counted on its latest papers."""
    from dashboard.entity_page import PEOPLE_LATEST_PAPERS

    return {"latest": PEOPLE_LATEST_PAPERS}


def entity_page_calls(repo, kind: str, key: str) -> Callable[[], object]:
    """Every data call the first page of one entity makes (dashboard.entity_page.render_entity):
    profile, the keys of its papers (one scan), then from them its figures, papers per month, one
    page of papers, one page of people, the related table, and the frames drawn from them."""
    from dashboard import entity_frames as ef
    from dashboard.entity_page import PAGE_ROWS, PEOPLE_LATEST_PAPERS, RELATED_SHOWN

    entity = "submitter" if kind == "organizations" else "organization"

    def page() -> None:
        repo.entity_profile(kind, key)
        keys = repo.entity_keys(kind, key)
        repo.entity_figures(kind, key, keys=keys)
        ef.fill_months(repo.entity_months(kind, key, keys=keys))
        ef.paper_table(repo.entity_papers_page(kind, key, PAGE_ROWS, keys=keys))
        ef.people_table(repo.entity_people_page(kind, key, PAGE_ROWS, 0, PEOPLE_LATEST_PAPERS, keys=keys))
        ef.related_table(repo.entity_related(kind, key, RELATED_SHOWN, keys=keys), entity)

    return page


def dashboard_calls(repo) -> tuple[dict[str, Callable[[], object]], dict[str, str]]:
    """(name -> zero-argument call) for every repository query, and (name -> why skipped)."""
    from dashboard.author_search import SHOWN as SEARCH_SHOWN
    from dashboard.filters import PaperFilters
    from dashboard.leaderboard_page import DEFAULT_DAYS as BOARD_DAYS, SHOWN_ROWS

    args = sample_arguments(repo)
    args["filters"] = PaperFilters(start=args["start"], end=args["end"])
    board_args = {**args, "start": args["end"] - timedelta(days=BOARD_DAYS - 1)}
    calls: dict[str, Callable[[], object]] = {}
    skipped: dict[str, str] = {}
    for name, method in inspect.getmembers(repo, inspect.ismethod):
        if name.startswith("_") or name in PLUMBING:
            continue
        params = inspect.signature(method).parameters
        page_args = board_args if name in LEADERBOARD_PAGE_METHODS else args
        if "kind" in params:
            for kind, key in KIND_KEYS.items():
                # the leaderboard pages ask for the rows they show
                limit = entity_page_limits().get(name, SHOWN_ROWS)
                values = {**page_args, "kind": kind, "key": page_args[key], "limit": limit, **entity_page_extras()}
                calls[f"{name}[{kind}]"] = _bind(method, params, values)
            continue
        missing = [p for p, spec in params.items() if spec.default is inspect.Parameter.empty and p not in page_args]
        if missing:
            skipped[name] = f"no sample value for {', '.join(missing)}"
            continue
        calls[name] = _bind(method, params, page_args)
    if "find_authors" in calls:  # the search box asks for the matches it shows
        del calls["find_authors"]
        for label, text in name_searches(args["busiest_name"]).items():
            calls[f"find_authors[{label}]"] = functools.partial(repo.find_authors, text, limit=SEARCH_SHOWN)
    for kind, key in KIND_KEYS.items():
        calls[f"entity_page[{kind}]"] = entity_page_calls(repo, kind, args[key])
    return calls, skipped


def _bind(method, params, values: dict) -> Callable[[], object]:
    chosen = {p: values[p] for p in params if p in values}
    return lambda: method(**chosen)
