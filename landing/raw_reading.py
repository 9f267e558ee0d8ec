"""Reading a day's landed fetches for a load, when some of them cannot be read.

A fetch folder is written whole and renamed into place (raw_store.py), but a disk error, a
hand edit or a full disk can still leave a page shorter than it was, or a manifest that does not
parse. Each fetch is checked against its manifest (page count and SHA-256 of every page) before
a load reads it. The rules:

- hidden folders (`.staging-*`, left by a writer killed while landing) are never fetches;
- an unreadable fetch older than a readable one is skipped, with a warning naming the file: the
  day loads from its newest readable fetch (only that old vote observation is missing);
- when the newest fetch is unreadable, the day is not loaded and fails alone, with the file named.
  The next fetch of the day lands a newer one, which then loads.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from landing.raw_store import MANIFEST, RawFetch, fetch_folders, read_fetch


@dataclass(frozen=True)
class UnreadableFetch:
    """A landed fetch that cannot be read, and why."""

    listing_date: date
    path: Path
    reason: str

    def describe(self) -> str:
        """One line naming the file."""
        return f"unreadable raw file {self.path}: {self.reason}"


@dataclass(frozen=True)
class LandedDays:
    """Per day: the readable fetches (oldest first) or why the day cannot be loaded."""

    readable: dict[date, list[RawFetch]]
    failed: dict[date, str]
    skipped: list[UnreadableFetch]


def read_landed_days(raw_dir: Path, days: list[date]) -> LandedDays:
    """Sort every landed fetch of `days` into readable, skipped (older) and failing (newest)."""
    readable: dict[date, list[RawFetch]] = {}
    failed: dict[date, str] = {}
    skipped: list[UnreadableFetch] = []
    for day in days:
        good: list[RawFetch] = []
        bad: list[UnreadableFetch] = []
        for folder in fetch_folders(raw_dir, day):
            fetch, problem = _checked(day, folder)
            if fetch is not None:
                good.append(fetch)
                skipped += bad  # older than a readable fetch
                bad = []
            else:
                assert problem is not None  # _checked returns a fetch or a problem
                bad.append(problem)
        if bad:
            failed[day] = f"{bad[-1].describe()} (the newest fetch of the day; fetch the day again to replace it)"
            skipped += bad[:-1]
        elif good:
            readable[day] = good
    return LandedDays(readable, failed, skipped)


def _checked(day: date, folder: Path) -> tuple[RawFetch | None, UnreadableFetch | None]:
    manifest_path = folder / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_bytes())
        fetch = read_fetch(folder)
    except (OSError, ValueError, KeyError, TypeError) as error:
        return None, UnreadableFetch(day, manifest_path, _reason(error))
    pages = sorted(folder.glob("page-*.json"))
    digests = manifest.get("sha256")
    if digests is None:  # manifests have always had them; nothing to check against otherwise
        return fetch, None
    if len(pages) != len(digests):
        return None, UnreadableFetch(day, folder, f"{len(pages)} page files, the manifest lists {len(digests)}")
    for page, digest in zip(pages, digests, strict=True):
        try:
            body = page.read_bytes()
        except OSError as error:
            return None, UnreadableFetch(day, page, _reason(error))
        if hashlib.sha256(body).hexdigest() != digest:
            return None, UnreadableFetch(day, page, f"its content ({len(body)} bytes) is not what was landed (SHA-256 differs)")
    return fetch, None


def _reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}".splitlines()[0]
