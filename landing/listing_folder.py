"""The folder `$PAPERS_HOME/listings/`: which files wait there, and where a bad one is set aside.

A file that is not a listing page is moved to `listings/rejected/` with a note of why, so it
fails once, by name, instead of failing every later import of the folder; nothing is deleted.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

LISTING_SUFFIXES = {".txt", ".md"}
REJECTED_DIR = "rejected"


def listing_files(folder: Path) -> list[Path]:
    """The listing pages waiting in a folder, in name order (hidden files are partial copies)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in LISTING_SUFFIXES and not p.name.startswith("."))


def stored_name(name: str) -> str:
    """The name a page is kept under in the folder, one the folder's importer reads: a name
    without a listing suffix gets `.txt` added (`page.html` -> `page.html.txt`), a hidden one
    loses its leading dots."""
    name = name.lstrip(".") or "page"
    return name if Path(name).suffix in LISTING_SUFFIXES else f"{name}.txt"


def set_aside(path: Path, reason: str) -> Path:
    """Move a page that cannot be imported to `rejected/` next to it, with `<name>.reason` saying
    why; returns where it went. A page of the same name already there is kept (a number is added)."""
    rejected = path.parent / REJECTED_DIR
    rejected.mkdir(exist_ok=True)
    target = rejected / path.name
    number = 1
    while target.exists():
        target = rejected / f"{path.stem}-{number}{path.suffix}"
        number += 1
    os.replace(path, target)
    moment = datetime.now(UTC).isoformat(timespec="seconds")
    target.with_name(target.name + ".reason").write_text(f"{moment} {path}: {reason}\n", encoding="utf-8")
    return target
