"""Many days of realistic responses, made from the few real ones bundled with the project."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from hf_api.sample_replay import BUNDLED_SAMPLE_DIR, day_file, recorded_dates

# Per day, item k gets arXiv-style id "<YYMM>.<day*100 + k>", so ids are unique across days.
MAX_ITEMS_PER_DAY = 100
MAX_DAYS = 999


def unique_paper_id(original_id: str, day_index: int, item_index: int) -> str:
    """An arXiv-shaped id that keeps the original's YYMM and is unique per (day, item)."""
    prefix = original_id.split(".")[0] if "." in original_id else "2401"
    return f"{prefix}.{day_index * MAX_ITEMS_PER_DAY + item_index:05d}"


def _shift_to(stamp: str, day: date) -> str:
    # Keeps the time of day; only the date part moves to the assigned listing date.
    return day.isoformat() + stamp[10:]


def rewrite_day(items: list[dict], day: date, day_index: int) -> list[dict]:
    """The items with unique paper ids and `submittedOnDailyAt` moved to `day`."""
    if len(items) >= MAX_ITEMS_PER_DAY:
        raise ValueError(f"a source day has {len(items)} items; at most {MAX_ITEMS_PER_DAY - 1} fit")
    out = []
    for index, item in enumerate(items):
        paper = dict(item["paper"])
        paper["id"] = unique_paper_id(paper["id"], day_index, index)
        if "submittedOnDailyAt" in paper:
            paper["submittedOnDailyAt"] = _shift_to(paper["submittedOnDailyAt"], day)
        out.append({**item, "paper": paper})
    return out


def fixture_days(days_dir: Path, n_days: int, start: date, *, source_dir: Path = BUNDLED_SAMPLE_DIR) -> list[date]:
    """Write `n_days` consecutive days from `start` into `days_dir`; returns their dates.

    Day i is a copy of the real recorded day number i mod (number of sources), with paper ids
    made unique per date, so a test can serve 10+ days whose papers do not collide.
    """
    if not 1 <= n_days <= MAX_DAYS:
        raise ValueError(f"n_days must be between 1 and {MAX_DAYS}, got {n_days}")
    sources = [day_file(source_dir, d) for d in recorded_dates(source_dir)]
    if not sources:
        raise FileNotFoundError(f"no daily_papers_YYYY-MM-DD.json files in {source_dir}")
    days_dir = Path(days_dir)
    days_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for index in range(n_days):
        day = start + timedelta(days=index)
        items = json.loads(sources[index % len(sources)].read_text(encoding="utf-8"))
        body = json.dumps(rewrite_day(items, day, index), ensure_ascii=False, indent=2)
        day_file(days_dir, day).write_text(body, encoding="utf-8")
        written.append(day)
    return written
