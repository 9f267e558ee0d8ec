"""Replay of recorded HF Daily Papers responses as a WSGI app.

Serves `GET /api/daily_papers?date=YYYY-MM-DD[&limit=N&p=K]` from files named
`daily_papers_YYYY-MM-DD.json` (each a JSON array of items) in one folder. The product mounts it
in-process through `httpx.WSGITransport` when `HF_API_BASE_URL=sample`, so `papers up` works
offline through the same client code; the tests wrap it in a real HTTP server.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs

import orjson

BUNDLED_SAMPLE_DIR = Path(__file__).resolve().parent / "sample_days"
DAILY_PAPERS_PATH = "/api/daily_papers"

_FILE_RE = re.compile(r"^daily_papers_(\d{4}-\d{2}-\d{2})\.json$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

StartResponse = Callable[[str, list[tuple[str, str]]], object]
WSGIApp = Callable[[dict, StartResponse], Iterable[bytes]]


class BadRequest(ValueError):
    """A query parameter the replay cannot serve (answered with HTTP 400)."""


def day_file(days_dir: Path, listing_date: date) -> Path:
    """The file that holds the recorded response for `listing_date`."""
    return Path(days_dir) / f"daily_papers_{listing_date.isoformat()}.json"


def recorded_dates(days_dir: Path) -> list[date]:
    """Dates that have a recorded response in `days_dir`, oldest first."""
    found = (_FILE_RE.match(p.name) for p in Path(days_dir).iterdir())
    return sorted(date.fromisoformat(m.group(1)) for m in found if m)


def bundled_sample_dates() -> list[date]:
    """Dates of the real API responses bundled with the project."""
    return recorded_dates(BUNDLED_SAMPLE_DIR)


def _one(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[-1] if values else None


def _non_negative_int(query: dict[str, list[str]], name: str, *, minimum: int) -> int | None:
    raw = _one(query, name)
    if raw is None or raw == "":
        return None
    if not raw.isdigit() or int(raw) < minimum:
        raise BadRequest(f"'{name}' must be an integer >= {minimum}, got {raw!r}")
    return int(raw)


def parse_requested_day(raw: str | None, days_dir: Path) -> date | None:
    """The requested date; no `date` means the latest recorded day (None when there is none)."""
    if raw is None:
        dates = recorded_dates(days_dir)
        return dates[-1] if dates else None
    if not _DATE_RE.match(raw):
        raise BadRequest(f"Invalid date {raw!r}: expected YYYY-MM-DD")
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise BadRequest(f"Invalid date {raw!r}: {exc}") from exc


def page_body(days_dir: Path, listing_date: date | None, limit: int | None, page: int) -> bytes:
    """Response body for one request: the file's verbatim bytes when unpaged, else a slice."""
    path = day_file(days_dir, listing_date) if listing_date else None
    if path is None or not path.exists():
        return b"[]"
    if limit is None:
        return path.read_bytes() if page == 0 else b"[]"
    stat = path.stat()
    pages = _day_pages(path, stat.st_mtime_ns, stat.st_size, limit)
    return pages[page] if page < len(pages) else b"[]"


# A 10x day (500 items, 2.7 MB) is 6 pages of 100: parsing the file for each page cost ~1 s of
# CPU for the daily run's 90 pages, on the machine the run shares. Keyed by the file's mtime and
# size, so a rewritten day file is read again; 16 days of 10x pages are ~45 MB.
@functools.lru_cache(maxsize=16)
def _day_pages(path: Path, mtime_ns: int, size: int, limit: int) -> tuple[bytes, ...]:
    """The answers for pages 0, 1, ... of a day file at `limit` items a page (page 0 the recorded
    bytes when the whole day fits it)."""
    raw = path.read_bytes()
    items = orjson.loads(raw)
    if len(items) <= limit:
        return (raw,)  # the whole day fits the page: the recorded bytes, as recorded
    return tuple(
        json.dumps(items[start : start + limit], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        for start in range(0, len(items), limit)
    )


def json_response(start_response: StartResponse, status: str, body: bytes) -> list[bytes]:
    """Answer with a JSON body and an exact Content-Length."""
    start_response(
        status,
        [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]


def make_replay_app(days_dir: Path) -> WSGIApp:
    """A WSGI app that answers `/api/daily_papers` from the recorded files in `days_dir`.

    `p` is a zero-based page number and `limit` the page size (no limit: the whole day); a date
    with no file gives `[]`; an invalid date, limit or page gives 400 with `{"error": ...}`.
    """
    days_dir = Path(days_dir)
    if not days_dir.is_dir():
        raise FileNotFoundError(f"replay folder {days_dir} does not exist")

    def app(environ: dict, start_response: StartResponse) -> list[bytes]:
        if environ.get("PATH_INFO") != DAILY_PAPERS_PATH or environ.get("REQUEST_METHOD") != "GET":
            return json_response(start_response, "404 Not Found", b'{"error":"Not Found"}')
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        try:
            listing_date = parse_requested_day(_one(query, "date"), days_dir)
            limit = _non_negative_int(query, "limit", minimum=1)
            page = _non_negative_int(query, "p", minimum=0) or 0
        except BadRequest as exc:
            body = json.dumps({"error": str(exc)}).encode("utf-8")
            return json_response(start_response, "400 Bad Request", body)
        body = page_body(days_dir, listing_date, limit, page)
        return json_response(start_response, "200 OK", body)

    return app
