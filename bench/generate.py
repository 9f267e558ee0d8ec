"""Realistic HF Daily Papers API days at any scale, deterministic for a seed.

    python -m bench.generate --out DIR --days 365 --papers-per-day 50 [--end 2026-11-26] [--seed 7]

writes `DIR/daily_papers_YYYY-MM-DD.json` (compact JSON arrays, as the API sends them), which
hf_api.testing.fake_server.FakeHFServer (or hf_api.sample_replay.make_replay_app) serves
the same way the tests serve the recorded days. Every distribution comes from the real fixtures
(bench/fixture_stats.py); each day has its own random stream, so a day is the same whichever
other days are generated with it.
"""

from __future__ import annotations

import argparse
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from bench.eras import era_for
from bench.fixture_stats import load_fixture_stats
from bench.items import ItemFactory
from bench.pools import Pools

DEFAULT_SEED = 20230504
DEFAULT_PAPERS_PER_DAY = 50


@dataclass(frozen=True)
class GeneratedSet:
    """What was written: the folder, its days, and totals for the benchmark's rows/s figures."""

    folder: Path
    days: list[date]
    papers: int
    author_slots: int
    bytes: int


class DayGenerator:
    """Generates listing days of `papers_per_day` items each (one year sizes the pools)."""

    def __init__(self, papers_per_day: int = DEFAULT_PAPERS_PER_DAY, seed: int = DEFAULT_SEED, era_mode: str = "by_date") -> None:
        if papers_per_day < 0:
            raise ValueError(f"papers_per_day must be >= 0, got {papers_per_day}")
        self.papers_per_day = papers_per_day
        self.seed = seed
        self.era_mode = era_mode
        self.factory = ItemFactory(Pools(load_fixture_stats(), 365 * max(1, papers_per_day)))

    def rng(self, day: date) -> np.random.Generator:
        """The random stream of one day (depends only on the seed and the date)."""
        return np.random.default_rng([self.seed, zlib.crc32(day.isoformat().encode())])

    def items(self, day: date) -> list[dict]:
        """The API items of listing date `day`, most upvoted first."""
        return self.factory.day(self.rng(day), day, era_for(day, self.era_mode), self.papers_per_day)

    def day_bytes(self, day: date, days_after: int | None = None) -> bytes:
        """The response body `GET /api/daily_papers?date=day` gives (compact JSON, UTF-8): once
        the votes settled, or as fetched `days_after` days after the listing day (fewer upvotes)."""
        items = self.items(day)
        return encode(items if days_after is None else seen_after(items, days_after))

    def iter_days(self, days: list[date]) -> Iterator[tuple[date, bytes]]:
        """(day, body) for each day, generated one at a time (nothing is kept)."""
        for day in days:
            yield day, self.day_bytes(day)


def upvote_share(days_after: int) -> float:
    """The share of its final upvotes a paper has `days_after` days after its listing day: half
    on the day, and half of the rest each following day (the real counts level off within days)."""
    return 1.0 - 0.5 ** (days_after + 1)


def seen_after(items: list[dict], days_after: int) -> list[dict]:
    """The items as a fetch `days_after` days after the listing day sees them."""
    share = upvote_share(days_after)
    return [{**item, "paper": {**item["paper"], "upvotes": round(item["paper"]["upvotes"] * share)}} for item in items]


def encode(items: list[dict]) -> bytes:
    """Items as the API sends them: a compact JSON array, non-ASCII kept as UTF-8."""
    return json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def day_range(end: date, n_days: int) -> list[date]:
    """The `n_days` listing dates ending at `end`, oldest first."""
    return [end - timedelta(days=offset) for offset in range(n_days - 1, -1, -1)]


def write_days(folder: Path, days: list[date], generator: DayGenerator) -> GeneratedSet:
    """Write one file per day into `folder` (created if needed) and count what went in."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    papers = slots = size = 0
    for day in days:
        items = generator.items(day)
        body = encode(items)
        (folder / f"daily_papers_{day.isoformat()}.json").write_bytes(body)
        papers += len(items)
        slots += sum(len(item["paper"]["authors"]) for item in items)
        size += len(body)
    return GeneratedSet(folder, list(days), papers, slots, size)


def main(argv: list[str] | None = None) -> int:
    """Command line: write generated days into a folder."""
    parser = argparse.ArgumentParser(description="Generate realistic HF Daily Papers API days.")
    parser.add_argument("--out", type=Path, required=True, help="folder for daily_papers_*.json")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--papers-per-day", type=int, default=DEFAULT_PAPERS_PER_DAY)
    parser.add_argument("--end", type=date.fromisoformat, default=date.today(), help="last listing date")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--era-mode", choices=("by_date", "current"), default="by_date")
    args = parser.parse_args(argv)
    generator = DayGenerator(args.papers_per_day, args.seed, args.era_mode)
    result = write_days(args.out, day_range(args.end, args.days), generator)
    print(
        f"{len(result.days)} days, {result.papers} papers, {result.author_slots} author slots, "
        f"{result.bytes / 1e6:.1f} MB in {result.folder}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
