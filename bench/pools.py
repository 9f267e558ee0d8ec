"""The people, organisations, submitters, keywords and words generated days draw from.

Popularity is skewed the way real data is: index = floor(size * u**skew) for u uniform in
[0, 1), so low indices (prolific authors, busy organisations, frequent submitters, common
keywords) come up far more often than the long tail. Names and words come from the fixtures.
"""

from __future__ import annotations

import unicodedata
from functools import cached_property

import numpy as np

from bench.fixture_stats import FixtureStats

# Frequent submitters in the fixtures (akhaliq 5/33, taesiri 4/33 of submitted items).
FREQUENT_SUBMITTERS = (("akhaliq", "AK", 0.14), ("taesiri", "taesiri", 0.10))
# Fitted to the recorded days (bench/author_spread.py, tests/bench/test_author_spread.py): the
# largest skew whose samples of the fixtures' size show the busiest author on about as many papers
# (3.0 put one author on 11% of a 500,000-paper history; the fixtures show nobody on more than 2 of 46).
AUTHOR_SKEW = 1.5
ORG_SKEW = 2.0
SUBMITTER_SKEW = 2.0
KEYWORD_SKEW = 2.5
JARGON_SKEW = 1.5
_SYLLABLES = ("ka", "lo", "mi", "ne", "ra", "ti", "vo", "zen", "qu", "ix", "ar", "el", "on", "us", "ph", "or")


def skewed(rng: np.random.Generator, size: int, n: int, skew: float) -> np.ndarray:
    """n indices in [0, size) with popularity falling off like u**skew."""
    return np.minimum((size * rng.random(n) ** skew).astype(np.int64), size - 1)


def ascii_fold(text: str) -> str:
    """'Jégou' -> 'Jegou' (for usernames, which are ASCII)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


class Pools:
    """Everything a generator samples from, sized for `papers_per_year` papers."""

    def __init__(self, stats: FixtureStats, papers_per_year: int) -> None:
        self.stats = stats
        self.people = max(1_000, 3 * papers_per_year)
        self.org_count = max(50, papers_per_year // 40)
        self.keyword_count = max(500, papers_per_year)
        self.jargon_count = max(1_000, 5 * papers_per_year)
        counts = np.asarray(stats.word_counts, dtype=np.float64)
        self.word_p = counts / counts.sum()
        self.words = np.asarray(stats.words, dtype=object)
        self._firsts, self._lasts = stats.first_names, stats.last_names
        self._combos = len(self._firsts) * len(self._lasts)
        # A multiplier coprime with the number of combinations scrambles i -> name bijectively.
        self._scramble = next(m for m in range(7919, 10**6) if np.gcd(m, self._combos) == 1)

    def person_name(self, i: int) -> str:
        """Display name of person i (namesakes appear only beyond every first x last combination)."""
        j = (i * self._scramble) % self._combos
        return f"{self._firsts[j % len(self._firsts)]} {self._lasts[j // len(self._firsts)]}"

    def person_username(self, i: int) -> str | None:
        """HF username of person i, or None: about one person in three has an account."""
        if i % 3:
            return None
        base = ascii_fold(self.person_name(i)).replace(" ", "").replace("-", "")
        return base if i < self._combos else f"{base}{i // self._combos}"

    @cached_property
    def organizations(self) -> list[tuple[str, str]]:
        """(slug, fullname): the real ones first (most popular), then made-up labs."""
        real = list(self.stats.organizations)
        made = []
        for i in range(self.org_count - len(real)):
            a, b = self.stats.words[(i * 31) % 400], self.stats.words[(i * 17 + 7) % 900]
            made.append((f"{a.lower()}-{b.lower()}-lab{i}", f"{a.title()} {b.title()} Lab {i}"))
        return real + made

    @cached_property
    def keywords(self) -> list[str]:
        """Real ai_keywords first, then phrases of 1-3 fixture words."""
        words = [w for w in self.stats.words if len(w) > 3][:1500]
        made = []
        for i in range(self.keyword_count - len(self.stats.keywords)):
            n = 1 + i % 3
            made.append(" ".join(words[(i * (7 + k * 13) + k) % len(words)].lower() for k in range(n)))
        return list(self.stats.keywords) + made

    def jargon(self, i: int) -> str:
        """A made-up model or benchmark name ('Kalomi-7B', 'TIVO-Bench'): the rare terms of a corpus."""
        syllables = "".join(_SYLLABLES[(i >> (4 * k)) % 16] for k in range(2 + i % 3))
        suffix = ("", "-Bench", "-7B", "Net", "-VL", "GPT", "-R1", "Former")[i % 8]
        return syllables.capitalize() + suffix if i % 5 else syllables.upper() + suffix

    def sample_words(self, rng: np.random.Generator, n: int) -> list[str]:
        """n words by fixture frequency, one in twenty replaced by rare jargon."""
        words = list(self.words[rng.choice(len(self.words), size=n, p=self.word_p)])
        rare = np.flatnonzero(rng.random(n) < 0.05)
        for pos, j in zip(rare, skewed(rng, self.jargon_count, len(rare), JARGON_SKEW), strict=True):
            words[pos] = self.jargon(int(j))
        return words
