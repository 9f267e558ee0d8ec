"""Read-only connections to the published warehouse snapshot, reopened when a publish swaps it.

Dagster swaps a new snapshot in by a rename (warehouse/publish.py); every other publish the name
gets back the inode of an earlier snapshot, rewritten, so a snapshot is known by its inode, size
and modification time together, not by its inode alone. DuckDB's Python client caches one database
instance per path while any connection to it is open, so `duckdb.connect(path)` can hand back
the *old* file for as long as some other dashboard session still holds a connection. Here the
file is attached to an in-memory database instead, kept open while the file stays the same
(same inode, size and modification time) and replaced as soon as a publish swaps in another:
attaching costs ~25 ms, a query on a small warehouse ~2, so reopening per query doubled
most pages' query time. Each query runs on its own cursor, so sessions (threads) never share
one; the old snapshot is closed once its last query finished.

A DuckLake warehouse (a `DuckLakeLocation` instead of a path) works the same way: its identity is
the newest published snapshot id (asked of the catalog on a connection kept open for that), and
the lake is attached read-only at that snapshot, so a load committing meanwhile is never seen.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar, cast

import duckdb

from warehouse import ducklake
from warehouse.migrate import ensure_readable
from warehouse.paths import DuckLakeLocation

CATALOG = "published"
# Query results remembered per snapshot (see remembered_result): at most this many bytes each,
# oldest-used dropped first. A snapshot is immutable, so a remembered result is never stale.
RESULTS_BUDGET_BYTES = 256 * 1024 * 1024
LARGEST_REMEMBERED_BYTES = 8 * 1024 * 1024

HOW_TO_CREATE = (
    "No published warehouse yet. Create one with `papers up` (loads the bundled sample days) "
    "or `papers backfill --start YYYY-MM-DD --end YYYY-MM-DD` (fetches from Hugging Face), "
    "then reload this page."
)


class WarehouseMissing(FileNotFoundError):
    """The published warehouse file does not exist yet."""


_lock = threading.Lock()
Source = Path | DuckLakeLocation  # the published file, or the DuckLake warehouse
# source -> (identity, the attached snapshot, answers about that snapshot: see once_per_snapshot)
_attached: dict[Source, tuple[tuple, duckdb.DuckDBPyConnection, dict[Hashable, object]]] = {}
# DuckLake warehouse -> a connection at its head, to ask which snapshot is the newest published
_heads: dict[DuckLakeLocation, duckdb.DuckDBPyConnection] = {}
T = TypeVar("T")


def sql_literal(text: str) -> str:
    """`text` as an SQL string literal (quotes doubled)."""
    return "'" + text.replace("'", "''") + "'"


def _file_identity(path: Path) -> tuple:
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise WarehouseMissing(f"{HOW_TO_CREATE} (looked for {path})") from None
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns


def _lake_identity(location: DuckLakeLocation) -> tuple:
    with _lock:
        if location not in _heads:
            try:
                _heads[location] = ducklake.connect_head(location)
            except ducklake.NoPublishedSnapshot:  # no writer has created the lake yet
                raise WarehouseMissing(f"{HOW_TO_CREATE} (looked in {location.describe()})") from None
        head = _heads[location].cursor()
    try:
        snapshot = ducklake.published_snapshot(head)
    finally:
        head.close()
    if snapshot is None:
        raise WarehouseMissing(f"{HOW_TO_CREATE} (looked in {location.describe()})")
    return ("ducklake", snapshot)


def lake_snapshot_id(location: DuckLakeLocation) -> int:
    """The DuckLake warehouse's newest published snapshot id (what the pages read);
    WarehouseMissing when nothing was published yet."""
    return int(_lake_identity(location)[1])


def source_exists(source: Source) -> bool:
    """Whether a published warehouse is there to read."""
    if isinstance(source, Path):
        return source.exists()
    try:
        _lake_identity(source)
    except WarehouseMissing:
        return False
    return True


def _attached_snapshot(source: Source) -> tuple[duckdb.DuckDBPyConnection, dict[Hashable, object]]:
    """(in-memory database with the current snapshot attached, answers about that snapshot),
    opened afresh if a publish changed it."""
    if isinstance(source, DuckLakeLocation):
        return _attached_lake_snapshot(source)
    path = source
    identity = _file_identity(path)
    with _lock:
        known = _attached.get(path)
        if known is not None and known[0] == identity:
            return known[1:]
        if ensure_readable(path) is not None:  # a file written by DuckDB 2.0, now copied
            identity = _file_identity(path)
        con = duckdb.connect(":memory:")
        # duckdb 1.5 takes no parameter in ATTACH: the path goes in as a quoted literal.
        con.execute(f"ATTACH {sql_literal(str(path))} AS {CATALOG} (READ_ONLY)")
        # Dropping the old one closes it once its cursors (queries still running) are done.
        _attached[path] = (identity, con, {})
        return _attached[path][1:]


def _attached_lake_snapshot(location: DuckLakeLocation) -> tuple[duckdb.DuckDBPyConnection, dict[Hashable, object]]:
    identity = _lake_identity(location)
    with _lock:
        known = _attached.get(location)
        if known is not None and known[0] == identity:
            return known[1:]
        con = ducklake.connect_reader(location, snapshot=identity[1], alias=CATALOG)
        _attached[location] = (identity, con, {})
        return _attached[location][1:]


def _source(source: Source | str) -> Source:
    return source if isinstance(source, DuckLakeLocation) else Path(source)


@contextmanager
def open_snapshot(path: Source) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only cursor on the newest published warehouse at `path` (or the DuckLake
    warehouse), for one unit of work."""
    con, _ = _attached_snapshot(_source(path))
    with _cursor(con) as cursor:
        yield cursor


@contextmanager
def _cursor(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    cursor = con.cursor()
    try:
        cursor.execute(f"USE {CATALOG}")
        yield cursor
    finally:
        cursor.close()


def once_per_snapshot(path: Source, key: Hashable, compute: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """`compute(cursor)` on the newest snapshot at `path`, remembered until a publish swaps the
    file: for answers a published file cannot change (which views and macros it has)."""
    con, answers = _attached_snapshot(_source(path))
    with _lock:
        if key in answers:
            return cast(T, answers[key])  # stored by compute() for this key
    with _cursor(con) as cursor:  # the same snapshot the answers belong to, even if a swap came
        value = compute(cursor)
    with _lock:
        answers[key] = value
    return value


class _Results:
    """Query results of one snapshot, least recently used first, within a byte budget."""

    def __init__(self) -> None:
        self.entries: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self.size = 0

    def get(self, key: Hashable) -> tuple[bool, object]:
        if key not in self.entries:
            return False, None
        self.entries.move_to_end(key)
        return True, self.entries[key][0]

    def put(self, key: Hashable, value: object, size: int) -> None:
        if size > LARGEST_REMEMBERED_BYTES or key in self.entries:
            return
        self.entries[key] = (value, size)
        self.size += size
        while self.size > RESULTS_BUDGET_BYTES:
            _, (_, dropped) = self.entries.popitem(last=False)
            self.size -= dropped


def remembered_result(
    path: Source, key: Hashable, compute: Callable[[duckdb.DuckDBPyConnection], T], size: Callable[[T], int]
) -> T:
    """`compute(cursor)` on the newest snapshot at `path`, remembered for that snapshot (within
    RESULTS_BUDGET_BYTES; results over LARGEST_REMEMBERED_BYTES by `size` are not kept).

    A published snapshot never changes, so the same query on it always gives the same rows: a
    fresh tab or another session asking what one has already asked gets it without a query. A
    publish swaps in a new snapshot and with it an empty memory."""
    con, answers = _attached_snapshot(_source(path))
    with _lock:
        results = cast(_Results, answers.setdefault(_Results, _Results()))
        found, value = results.get(key)
    if found:
        return cast(T, value)
    with _cursor(con) as cursor:  # the snapshot the memory belongs to, even if a swap came
        value = compute(cursor)
    with _lock:
        results.put(key, value, size(value))
    return value
