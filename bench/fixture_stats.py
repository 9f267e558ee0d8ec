"""Distributions taken from the real API responses in hf_api/sample_days/*.json.

The generator draws from these, so generated days look like real ones: the same vocabulary and
word frequencies, the same names, keywords, organisations, abstract and title lengths, author
counts, comment counts and field presence rates. Where the fixtures are too few to show a tail
(they are partial snapshots of 9-13 papers), the tail is stated here as an explicit assumption.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from hf_api.sample_replay import BUNDLED_SAMPLE_DIR

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-]*|[0-9]+(?:\.[0-9]+)?%?")

# Assumed tails (the fixtures hold 46 papers, 3 with >= 50 authors: 71, 313, 358).
BIG_AUTHOR_LIST_SHARE = 0.03  # lists of 40..150 authors (big lab papers)
HUGE_AUTHOR_LIST_SHARE = 0.012  # lists of 250..450 authors (NVIDIA/Gemini-style reports)
UPVOTE_TAIL_SHARE = 0.03  # papers of the day that go viral: 60..600 upvotes


@dataclass(frozen=True)
class FixtureStats:
    """What the real responses show, ready for sampling."""

    words: tuple[str, ...]  # vocabulary of titles and abstracts
    word_counts: tuple[int, ...]  # occurrences of each word (the sampling weights)
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    keywords: tuple[str, ...]  # real ai_keywords
    organizations: tuple[tuple[str, str], ...]  # (slug, fullname)
    author_counts: tuple[int, ...]  # authors per paper, lists under 50 only (the body)
    upvotes: tuple[int, ...]
    comments: tuple[int, ...]
    summary_chars: tuple[int, ...]
    title_words: tuple[int, ...]
    author_status: tuple[tuple[str, int], ...]
    relative_avatar_share: float  # submitters whose avatarUrl is a site-relative path

    def lognormal(self, values: tuple[int, ...]) -> tuple[float, float]:
        """(mu, sigma) of log1p(values), for a smooth body around the observed values."""
        logs = [math.log1p(v) for v in values]
        mu = sum(logs) / len(logs)
        sigma = math.sqrt(sum((x - mu) ** 2 for x in logs) / max(1, len(logs) - 1))
        return mu, sigma


def _items(folder: Path) -> list[dict]:
    items: list[dict] = []
    for path in sorted(folder.glob("daily_papers_*.json")):
        items.extend(json.loads(path.read_text(encoding="utf-8")))
    if not items:
        raise FileNotFoundError(f"no daily_papers_*.json fixtures in {folder}")
    return items


@lru_cache(maxsize=4)
def load_fixture_stats(folder: Path = BUNDLED_SAMPLE_DIR) -> FixtureStats:
    """Read every fixture day in `folder` and summarise it."""
    items = _items(Path(folder))
    words: Counter[str] = Counter()
    firsts: Counter[str] = Counter()
    lasts: Counter[str] = Counter()
    keywords: set[str] = set()
    orgs: dict[str, str] = {}
    status: Counter[str] = Counter()
    avatars = relative = 0
    for item in items:
        paper = item["paper"]
        words.update(_WORD.findall(paper["title"] + " " + paper["summary"]))
        for author in paper["authors"]:
            parts = author["name"].split()
            if len(parts) >= 2:
                firsts[parts[0]] += 1
                lasts[parts[-1]] += 1
            if "status" in author:
                status[author["status"]] += 1
        keywords.update(paper.get("ai_keywords", []))
        org = paper.get("organization") or item.get("organization")
        if org:
            orgs[org["name"]] = org["fullname"].strip()
        submitter = item.get("submittedBy")
        if submitter:
            avatars += 1
            relative += submitter["avatarUrl"].startswith("/")
    vocab = words.most_common()
    return FixtureStats(
        words=tuple(w for w, _ in vocab),
        word_counts=tuple(c for _, c in vocab),
        first_names=tuple(sorted(firsts)),
        last_names=tuple(sorted(lasts)),
        keywords=tuple(sorted(keywords)),
        organizations=tuple(sorted(orgs.items())),
        author_counts=tuple(n for n in (len(i["paper"]["authors"]) for i in items) if n < 50),
        upvotes=tuple(i["paper"]["upvotes"] for i in items),
        comments=tuple(i["numComments"] for i in items),
        summary_chars=tuple(len(i["paper"]["summary"]) for i in items),
        title_words=tuple(len(i["paper"]["title"].split()) for i in items),
        author_status=tuple(sorted(status.items())),
        relative_avatar_share=relative / avatars if avatars else 0.0,
    )
