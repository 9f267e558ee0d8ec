"""The digest folder: `<week_start>.md` and `<week_start>.html` per week, and one `feed.xml`.

Every file is written to a temporary name in the same folder and renamed over the old one, so a
reader (the dashboard, a feed reader) sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

FEED_NAME = "feed.xml"


class OutputError(OSError):
    """The digest folder cannot be created or written (the message names it and why)."""


@dataclass(frozen=True)
class DigestFiles:
    """The files of one digest folder."""

    folder: Path

    def markdown(self, week_start: date) -> Path:
        return self.folder / f"{week_start.isoformat()}.md"

    def html(self, week_start: date) -> Path:
        return self.folder / f"{week_start.isoformat()}.html"

    @property
    def feed(self) -> Path:
        return self.folder / FEED_NAME

    def weeks(self) -> list[date]:
        """The week starts that have a Markdown digest here, newest first."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.glob("*.md"):
            try:
                found.append(date.fromisoformat(path.stem))
            except ValueError:
                continue  # a file of the user's own, not a digest
        return sorted(found, reverse=True)

    def latest(self) -> date | None:
        """The newest week with a digest here, if any."""
        weeks = self.weeks()
        return weeks[0] if weeks else None

    def make_writable(self) -> None:
        """Create the folder if needed and check a file can be written in it (OutputError if not)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.folder, prefix=".write-check-"):
                pass
        except OSError as error:
            raise OutputError(f"cannot write the digest to {self.folder}: {error.strerror or error}") from error


def write_atomically(path: Path, content: str | bytes) -> None:
    """Replace `path` with `content` in one rename (a reader never sees a partial file)."""
    data = content.encode() if isinstance(content, str) else content
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; a digest is for sharing
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
