"""Importing saved Daily Papers pages into `listed_papers`, once per page content, in one transaction.

`paper_id` is worked out from `papers` by normalised title. The view `listed_papers_linked`
always reflects the papers the warehouse holds now; the stored column `listed_papers.paper_id` is
refreshed from it by every import and by `relink_listed_papers`, which the API load may call after
loading days so the stored column follows papers that arrived later.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl

from transforms.listing import ListingFormatError, parse_listing
from warehouse.db import execute_with_rows
from warehouse.ducklake import claim_writer_turn


@dataclass(frozen=True)
class ImportResult:
    """What importing one page did.

    `rows` is the number of entries the warehouse holds for this content (also when it was
    already imported); `linked` how many of them have a paper_id.
    """

    rows: int
    already_imported: bool
    content_sha256: str
    source_file: str
    linked: int


def content_sha256(text: str) -> str:
    """The import key of a page: sha256 of its non-blank lines, stripped, joined by newlines.

    An editor that re-saves the page with CRLF line ends, a final newline or trailing blanks
    does not make it a new page.
    """
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    canonical = "\n".join(line.strip() for line in lines if line.strip())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def import_listing(
    con: duckdb.DuckDBPyConnection,
    text: str,
    *,
    source_file: str,
    as_of: date,
    imported_at: datetime | None = None,
) -> ImportResult:
    """Parse a page and add its entries to `listed_papers`, unless the same content is already there.

    `as_of` resolves the year of the page's own date (see transforms.listing). The page is parsed
    before anything is written, so a ListingFormatError imports nothing; the insert and the
    re-link run in one transaction.
    """
    frame = parse_listing(text, as_of=as_of, source_file=source_file)
    digest = content_sha256(text)
    moment = _naive_utc(imported_at or datetime.now(UTC))
    con.execute("BEGIN TRANSACTION")
    try:
        claim_writer_turn(con)  # DuckLake: two imports of one page must not both insert it
        stored_name = _stored_source_file(con, digest)
        already = stored_name is not None
        if not already and frame.height > 0:
            _insert(con, frame, digest, moment)
            relink_listed_papers(con)
        [(rows, linked)] = con.execute(
            "SELECT count(*), count(paper_id) FROM listed_papers WHERE content_sha256 = ?", [digest]
        ).fetchall()
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return ImportResult(rows, already, digest, stored_name or source_file, linked)


def import_listing_file(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    *,
    as_of: date | None = None,
) -> ImportResult:
    """Import a saved page from a file, named by its file name; `as_of` defaults to today (local date)."""
    path = Path(path)
    text = read_listing_file(path)
    return import_listing(con, text, source_file=path.name, as_of=as_of or date.today())


def read_listing_file(path: Path, *, name: str | None = None) -> str:
    """The text of a saved page. A file that is not UTF-8 raises ListingFormatError naming
    `name` (default: the file name) and the line of the first byte that is not."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ListingFormatError(
            name or path.name,
            line,
            "UTF-8 text",
            f"the byte {data[error.start]:#04x} (not UTF-8: a binary file, or text saved in another encoding)",
        ) from error


def relink_listed_papers(con: duckdb.DuckDBPyConnection) -> int:
    """Set `listed_papers.paper_id` from the papers the warehouse holds now; returns how many rows changed.

    Never touches `papers`. Safe to call any time (one statement, so atomic on its own).
    """
    [(changed,)] = con.execute(
        "UPDATE listed_papers AS l SET paper_id = v.paper_id "
        "FROM listed_papers_linked AS v "
        "WHERE v.content_sha256 = l.content_sha256 AND v.position = l.position "
        "AND l.paper_id IS DISTINCT FROM v.paper_id"
    ).fetchall()
    return changed


def _stored_source_file(con: duckdb.DuckDBPyConnection, digest: str) -> str | None:
    # fetchall, not fetchone: DuckDB 2 keeps a fetchone() result open (see warehouse.db.scalar).
    [(name,)] = con.execute("SELECT min(source_file) FROM listed_papers WHERE content_sha256 = ?", [digest]).fetchall()
    return name


def _insert(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame, digest: str, moment: datetime) -> None:
    rows = frame.with_columns(
        pl.lit(digest, dtype=pl.String).alias("content_sha256"),
        pl.lit(moment, dtype=pl.Datetime("us")).alias("imported_at"),
    )
    execute_with_rows(con, "INSERT INTO listed_papers BY NAME SELECT * FROM incoming_rows", rows)


def _naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
