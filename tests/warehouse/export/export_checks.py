"""Looking at exports in tests: their files, leftover staging folders, and the warehouse's counts."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from warehouse.export.catalog import load_catalog


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` (relative path) with the sha256 of its bytes."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def leftovers(out: Path) -> list[str]:
    """Staging folders of exports to `out` still beside it."""
    return sorted(path.name for path in out.parent.glob(f".{out.name}.export-*"))


def warehouse_counts(published: Path) -> dict[str, int]:
    """Rows of every exported table, counted in the warehouse itself."""
    with duckdb.connect(str(published), read_only=True) as con:
        return {t.name: con.execute(f'SELECT count(*) FROM "{t.name}"').fetchall()[0][0] for t in load_catalog().tables}


def warehouse_months(published: Path, table: str) -> dict[str, int]:
    """Rows per month of listing_date of a table, counted in the warehouse itself."""
    with duckdb.connect(str(published), read_only=True) as con:
        rows = con.execute(f"SELECT strftime(listing_date, '%Y-%m'), count(*) FROM \"{table}\" GROUP BY 1 ORDER BY 1").fetchall()
    return dict(rows)
