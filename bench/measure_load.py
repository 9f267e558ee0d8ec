"""Load: raw days -> warehouse tables with the project's transform + load code, against the floor
(DuckDB alone reading the same JSON into the same tables, bench/sql/floor_load.sql).

Both write a fresh on-disk warehouse with the project's schema, in the same process, one after
the other; the figure that matters is the ratio.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from warehouse.db import connect_writer

FLOOR_SQL = Path(__file__).parent / "sql" / "floor_load.sql"
COUNTED_TABLES = ("papers", "paper_authors", "author_papers", "votes", "authors", "submitters", "organizations")


def table_rows(con) -> dict[str, int]:
    """Rows in each loaded table (table names from a fixed list)."""
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in COUNTED_TABLES}


def day_files(days_dir: Path) -> list[tuple[date, Path]]:
    """(listing date, file) of every generated day in `days_dir`, oldest first."""
    found = sorted(Path(days_dir).glob("daily_papers_*.json"))
    return [(date.fromisoformat(p.stem.removeprefix("daily_papers_")), p) for p in found]


def project_load(days_dir: Path, work: Path) -> dict:
    """Land the day files in a raw store (untimed: that is the raw asset's job), then time the
    tables asset's own load of them into a fresh warehouse; seconds and rows."""
    from bench.project_path import import_product, land_days, load_landed

    import_product()
    raw_dir = work / "raw"
    fetched_at = datetime.now(UTC)
    days = land_days(raw_dir, ((day, [path.read_bytes()], fetched_at) for day, path in day_files(days_dir)))
    con = connect_writer(work / "project.duckdb")
    try:
        start = time.perf_counter()
        load_landed(con, raw_dir, days)
        con.execute("CHECKPOINT")
        seconds = time.perf_counter() - start
        rows = table_rows(con)
    finally:
        con.close()
    return {"seconds": seconds, "rows": rows, "days": len(days)}


def floor_load(days_dir: Path, db_path: Path) -> dict:
    """The floor: bench/sql/floor_load.sql in one transaction; seconds and rows."""
    statements = [s for s in FLOOR_SQL.read_text().split(";\n") if s.strip()]
    connect_writer(db_path).close()  # the project's schema
    # The floor is DuckDB as anyone would run it: a plain connection with its default memory
    # limit, not the writer's cap (duckdb 1.5.5's RESET memory_limit shows the default but the
    # buffer manager keeps the old cap: the floor ran out of memory at 122 MiB).
    con = duckdb.connect(str(db_path))
    con.execute("SET enable_progress_bar = false")
    fetched_at = datetime.now(UTC).replace(tzinfo=None)
    try:
        start = time.perf_counter()
        con.execute("BEGIN TRANSACTION")
        params = {"glob": str(Path(days_dir) / "daily_papers_*.json"), "fetched_at": fetched_at}
        for statement in statements:
            con.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement})
        for table in COUNTED_TABLES:
            _insert_common_columns(con, table)
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        seconds = time.perf_counter() - start
        rows = table_rows(con)
    finally:
        con.close()
    return {"seconds": seconds, "rows": rows}


def _columns(con, table: str) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [table]
        ).fetchall()
    ]


def _insert_common_columns(con, table: str) -> None:
    """INSERT the floor_<table> columns the warehouse table also has (names from the catalog)."""
    made = set(_columns(con, f"floor_{table}"))
    columns = ", ".join(f'"{c}"' for c in _columns(con, table) if c in made)
    con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM floor_{table}")


def measure_load(days_dir: Path, work_dir: Path, rounds: int = 3) -> dict:
    """Project load and floor on the same days, alternated `rounds` times (each into a fresh
    warehouse); the median of each side's seconds, rows/s and the ratio (project / floor).

    Alternating and taking medians keeps one noisy second on a shared machine from deciding
    the ratio; every round's seconds are kept in the result.
    """
    floors, projects = [], []
    for round_ in range(rounds):
        floors.append(floor_load(days_dir, work_dir / f"floor_{round_}.duckdb"))
        projects.append(project_load(days_dir, work_dir / f"project_{round_}"))
    floor, project = _median_run(floors), _median_run(projects)
    for result in (floor, project):
        result["rows_total"] = sum(result["rows"].values())
        result["rows_per_s"] = result["rows_total"] / result["seconds"]
    mismatched = {t: (project["rows"][t], floor["rows"][t]) for t in COUNTED_TABLES if project["rows"][t] != floor["rows"][t]}
    return {
        "project": project,
        "floor": floor,
        "ratio": project["seconds"] / floor["seconds"],
        "rounds": rounds,
        "row_count_differences": mismatched,
    }


def _median_run(runs: list[dict]) -> dict:
    """The run with the median seconds (the lower middle one for an even count), plus every
    round's seconds."""
    ordered = sorted(runs, key=lambda run: run["seconds"])
    return {**ordered[(len(ordered) - 1) // 2], "seconds_each_round": [run["seconds"] for run in runs]}
