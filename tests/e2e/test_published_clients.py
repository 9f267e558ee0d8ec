"""The published warehouse opens in the DuckDB clients users have, views and macros included:
the registry's duckdb-cli (`duckdb` in .venv/bin), our duckdb, an older DuckDB release (installed
by uv from the registry), Polars and pandas."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pytest

from tests.side_envs.duckdb_releases import DUCKDB_OLDER, ensure_release, run_with_duckdb
from tests.warehouse.test_views_published import QUERIES
from warehouse.storage_format import storage_number

pytestmark = pytest.mark.e2e
DUCKDB_CLI = Path(sys.executable).parent / "duckdb"

# Run under another duckdb: count the rows of each query (JSON {name: sql}) on a file, read-only.
COUNT_ROWS = """
import json, sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
queries = json.loads(sys.argv[2])
print(json.dumps({"version": duckdb.__version__,
                  "counts": {n: con.execute(f"SELECT count(*) FROM ({q})").fetchall()[0][0] for n, q in queries.items()}}))
"""


@pytest.fixture(scope="module")
def published(sample_home, tmp_path_factory) -> Path:
    """A freshly published warehouse of the bundled sample days (`papers up --no-serve`; a copy)."""
    return Path(shutil.copy(sample_home / "warehouse.duckdb", tmp_path_factory.mktemp("home")))


@pytest.fixture(scope="module")
def queries(published) -> dict[str, str]:
    """Every view of the file, and every macro the view tests call, as queries."""
    with duckdb.connect(str(published), read_only=True) as con:
        views = [name for (name,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1").fetchall()]
    return {"papers": "SELECT * FROM papers", **{f"view {v}": f'SELECT * FROM "{v}"' for v in views}, **QUERIES}


@pytest.fixture(scope="module")
def our_counts(published, queries) -> dict[str, int]:
    with duckdb.connect(str(published), read_only=True) as con:
        counts = {name: con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0] for name, sql in queries.items()}
    assert counts["papers"] > 0 and counts["view daily_metrics"] == 4, "four sample days were published"
    return counts


def test_the_published_file_is_in_the_v1_4_storage_format(published):
    assert storage_number(published) == 67


def cli(published: Path, sql: str) -> str:
    done = subprocess.run(
        [str(DUCKDB_CLI), "-readonly", "-csv", "-noheader", str(published), "-c", sql],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"duckdb-cli: {sql}\n{done.stderr}"
    return done.stdout.strip()


def test_the_registrys_duckdb_cli_reads_tables_views_and_macros(published, queries, our_counts):
    assert cli(published, "SELECT version()").startswith("v1.5.")
    assert int(cli(published, "SELECT count(*) FROM papers")) == our_counts["papers"]
    assert len(cli(published, "SELECT * FROM daily_metrics").splitlines()) == 4
    found = {name: int(cli(published, f"SELECT count(*) FROM ({sql})")) for name, sql in queries.items()}
    assert found == our_counts


def test_an_older_duckdb_release_reads_tables_views_and_macros(published, queries, our_counts):
    ensure_release(DUCKDB_OLDER)
    answer = json.loads(run_with_duckdb(DUCKDB_OLDER, COUNT_ROWS, str(published), json.dumps(queries)))
    assert answer["version"] == DUCKDB_OLDER
    assert answer["counts"] == our_counts


def test_polars_and_pandas_read_views_and_macros_through_a_duckdb_connection(published, our_counts):
    with duckdb.connect(str(published), read_only=True) as con:
        metrics = pl.read_database("SELECT * FROM daily_metrics ORDER BY listing_date", connection=con)
        board = pl.read_database(QUERIES["author_leaderboard"], connection=con)
        frame = con.execute("SELECT * FROM papers_between(NULL, NULL)").df()
    assert metrics.height == 4 and metrics["papers"].sum() == our_counts["papers"]
    assert board.height == our_counts["author_leaderboard"]
    assert isinstance(frame, pd.DataFrame) and len(frame) == our_counts["papers"]
