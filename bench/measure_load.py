"""Load: raw days -> warehouse tables with the project's transform + load code, against the floor
(DuckDB alone reading the same JSON into the same tables, bench/sql/floor_load.sql).

Both write a fresh on-disk warehouse with the project's schema, in the same process, one after
the other; the figure that matters is the ratio.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from warehouse.db import connect_writer

FLOOR_SQL = Path(__file__).parent / "sql" / "floor_load.sql"
COUNTED_TABLES = ("papers", "paper_authors", "votes", "authors", "submitters", "organizations")


@dataclass(frozen=True)
class MemoryFetch:
    """A fetch held in memory, shaped like orchestration.raw_store.RawFetch for batch_for_day."""

    listing_date: date
    fetched_at: datetime
    bodies: tuple[bytes, ...]

    def pages(self) -> list[bytes]:
        """The response bodies, as RawFetch.pages() returns them."""
        return list(self.bodies)


def table_rows(con) -> dict[str, int]:
    """Rows in each loaded table (table names from a fixed list)."""
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in COUNTED_TABLES}


def day_files(days_dir: Path) -> list[tuple[date, Path]]:
    """(listing date, file) of every generated day in `days_dir`, oldest first."""
    found = sorted(Path(days_dir).glob("daily_papers_*.json"))
    return [(date.fromisoformat(p.stem.removeprefix("daily_papers_")), p) for p in found]


def load_days(con, days: list[tuple[date, list[bytes]]], fetched_at: datetime) -> None:
    """The project's path for each day: batch_for_day (transforms) then replace_partition (load)."""
    from orchestration.assets.tables import batch_for_day
    from warehouse.load import replace_partition

    for day, pages in days:
        replace_partition(con, batch_for_day(day, [MemoryFetch(day, fetched_at, tuple(pages))]))


def project_load(days_dir: Path, db_path: Path) -> dict:
    """Read every day file and load it through the project's code; seconds and rows."""
    import orchestration.assets.tables  # noqa: F401  (import cost is not load time)

    con = connect_writer(db_path)
    fetched_at = datetime.now(timezone.utc)
    try:
        start = time.perf_counter()
        days = [(day, [path.read_bytes()]) for day, path in day_files(days_dir)]
        load_days(con, days, fetched_at)
        con.execute("CHECKPOINT")
        seconds = time.perf_counter() - start
        rows = table_rows(con)
    finally:
        con.close()
    return {"seconds": seconds, "rows": rows, "days": len(days)}


def floor_load(days_dir: Path, db_path: Path) -> dict:
    """The floor: bench/sql/floor_load.sql in one transaction; seconds and rows."""
    statements = [s for s in FLOOR_SQL.read_text().split(";\n") if s.strip()]
    con = connect_writer(db_path)
    con.execute("SET enable_progress_bar = false")
    fetched_at = datetime.now(timezone.utc).replace(tzinfo=None)
    try:
        start = time.perf_counter()
        con.execute("BEGIN TRANSACTION")
        params = {"glob": str(Path(days_dir) / "daily_papers_*.json"), "fetched_at": fetched_at}
        for statement in statements:
            con.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement})
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        seconds = time.perf_counter() - start
        rows = table_rows(con)
    finally:
        con.close()
    return {"seconds": seconds, "rows": rows}


def measure_load(days_dir: Path, work_dir: Path) -> dict:
    """Project load and floor on the same days; rows/s of each and the ratio (project / floor)."""
    floor = floor_load(days_dir, work_dir / "floor.duckdb")
    project = project_load(days_dir, work_dir / "project.duckdb")
    for result in (floor, project):
        result["rows_total"] = sum(result["rows"].values())
        result["rows_per_s"] = result["rows_total"] / result["seconds"]
    mismatched = {t: (project["rows"][t], floor["rows"][t]) for t in COUNTED_TABLES
                  if project["rows"][t] != floor["rows"][t]}
    return {"project": project, "floor": floor, "ratio": project["seconds"] / floor["seconds"],
            "row_count_differences": mismatched}
