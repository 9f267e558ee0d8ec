"""Raw landing: every fetched listing day kept verbatim on disk.

Layout: `<raw_dir>/<YYYY-MM-DD>/<fetched_at>/page-0000.json ... manifest.json`. A fetch is written
into a hidden temporary folder and renamed into place only once complete, and the manifest is the
last file written, so a crash or a failed fetch never replaces or corrupts a good raw day: readers
only ever see complete fetches. Every fetch is kept because each one is a vote observation.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hf_api.url_redaction import redact_userinfo

MANIFEST = "manifest.json"
STAGING_PREFIX = ".staging-"
# A fetch is landed within seconds; a staging folder this old was left by a killed writer.
ABANDONED_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class RawFetch:
    """One complete, landed fetch of one listing day."""

    listing_date: date
    fetched_at: datetime
    url: str
    record_count: int
    folder: Path
    tags: dict

    def pages(self) -> list[bytes]:
        """The verbatim response bodies, in page order."""
        return [path.read_bytes() for path in sorted(self.folder.glob("page-*.json"))]

    @property
    def size_bytes(self) -> int:
        """The size of the response bodies on disk."""
        return sum(path.stat().st_size for path in self.folder.glob("page-*.json"))


def _folder_name(fetched_at: datetime) -> str:
    return fetched_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def land_fetch(
    raw_dir: Path,
    listing_date: date,
    fetched_at: datetime,
    url: str,
    pages: list[bytes],
    record_count: int,
    tags: dict | None = None,
) -> RawFetch:
    """Write one fetch atomically and return it. Existing fetches are never touched."""
    day_dir = raw_dir / listing_date.isoformat()
    day_dir.mkdir(parents=True, exist_ok=True)
    remove_abandoned_staging(day_dir)
    final = day_dir / _folder_name(fetched_at)
    staging = day_dir / f"{STAGING_PREFIX}{uuid.uuid4().hex}"
    staging.mkdir()
    try:
        for index, body in enumerate(pages):
            (staging / f"page-{index:04d}.json").write_bytes(body)
        manifest = {
            "listing_date": listing_date.isoformat(),
            "fetched_at": fetched_at.astimezone(UTC).isoformat(),
            "url": redact_userinfo(url),
            "pages": len(pages),
            "record_count": record_count,
            "sha256": [hashlib.sha256(body).hexdigest() for body in pages],
            "tags": tags or {},
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2))
        _fsync_folder(staging)
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return read_fetch(final)


def remove_abandoned_staging(day_dir: Path, older_than: timedelta = ABANDONED_AFTER) -> list[Path]:
    """Delete the day's staging folders left by writers killed while landing; return them.

    Only folders untouched for `older_than` go, so a fetch another process is writing right now
    is never removed. Readers never read staging folders (`fetch_folders`), so this only frees disk.
    """
    cutoff = time.time() - older_than.total_seconds()
    removed = []
    for entry in day_dir.iterdir():
        if entry.name.startswith(STAGING_PREFIX) and entry.is_dir() and entry.stat().st_mtime < cutoff:
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _fsync_folder(folder: Path) -> None:
    for path in folder.iterdir():
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())


def read_fetch(folder: Path) -> RawFetch:
    """The fetch landed in `folder`, from its manifest (raises if the manifest cannot be read)."""
    manifest = json.loads((folder / MANIFEST).read_text())
    return RawFetch(
        listing_date=date.fromisoformat(manifest["listing_date"]),
        fetched_at=datetime.fromisoformat(manifest["fetched_at"]),
        url=manifest["url"],
        record_count=manifest["record_count"],
        folder=folder,
        tags=manifest.get("tags", {}),
    )


def fetch_folders(raw_dir: Path, listing_date: date) -> list[Path]:
    """The folders of a day's landed fetches, oldest first.

    Hidden folders are not fetches: `.staging-*` is a fetch being written, or left behind by a
    writer killed while writing it (possibly with an empty manifest).
    """
    day_dir = raw_dir / listing_date.isoformat()
    if not day_dir.is_dir():
        return []
    return sorted(p for p in day_dir.iterdir() if not p.name.startswith(".") and (p / MANIFEST).is_file())


def list_fetches(raw_dir: Path, listing_date: date) -> list[RawFetch]:
    """Every complete fetch of a day whose manifest reads, oldest first (raw_reading.py also
    checks the pages, and says which fetches it skipped)."""
    fetches = []
    for folder in fetch_folders(raw_dir, listing_date):
        try:
            fetches.append(read_fetch(folder))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return fetches


def latest_fetch(raw_dir: Path, listing_date: date) -> RawFetch | None:
    """The newest complete fetch of a day, or None when the day was never fetched."""
    fetches = list_fetches(raw_dir, listing_date)
    return fetches[-1] if fetches else None


LAST_ERROR = "last_error.json"


def record_failure(raw_dir: Path, listing_date: date, message: str, run_id: str) -> None:
    """Remember why a day's latest fetch failed (shown by the CLI and the health page)."""
    day_dir = raw_dir / listing_date.isoformat()
    day_dir.mkdir(parents=True, exist_ok=True)
    payload = {
        "listing_date": listing_date.isoformat(),
        "message": message,
        "run_id": run_id,
        "failed_at": datetime.now(UTC).isoformat(),
    }
    staging = day_dir / f".{LAST_ERROR}.{uuid.uuid4().hex}"
    staging.write_text(json.dumps(payload, indent=2))
    os.replace(staging, day_dir / LAST_ERROR)


def clear_failure(raw_dir: Path, listing_date: date) -> None:
    """Forget a day's failure once a fetch of it has landed."""
    (raw_dir / listing_date.isoformat() / LAST_ERROR).unlink(missing_ok=True)


def last_failure(raw_dir: Path, listing_date: date) -> dict | None:
    """The recorded failure of a day's latest fetch attempt, if it failed."""
    path = raw_dir / listing_date.isoformat() / LAST_ERROR
    return json.loads(path.read_text()) if path.is_file() else None
