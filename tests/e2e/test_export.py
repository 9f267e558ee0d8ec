"""`papers export` end to end: the bundled sample exported by the real command reads back into the
warehouse's row counts in every client we could find (our duckdb, the registry's duckdb-cli, older
DuckDB releases, Polars, pyarrow, pandas), and a `papers export` killed with SIGKILL mid-way leaves
the previous export whole and the next run works."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pytest

from tests.sample_warehouse import REPO_ROOT
from tests.side_envs.duckdb_releases import DUCKDB_OLDER, ensure_release, run_with_duckdb
from tests.warehouse.export.export_checks import leftovers, tree_digest, warehouse_counts
from tests.warehouse.export.generated import generate_warehouse
from warehouse.export.catalog import load_catalog

pytestmark = pytest.mark.e2e
BIN = Path(sys.executable).parent
# The oldest DuckDB with a wheel for our Python (3.11) in the registry: three years older than the
# project's, from before the 1.0 storage format.
DUCKDB_OLDEST = "0.8.1"

# Run under another duckdb: the row count of each table (JSON {table: glob}) of an export.
COUNT_TABLES = """
import json, sys, duckdb
con = duckdb.connect()
globs = json.loads(sys.argv[2])
print(json.dumps({"version": duckdb.__version__, "counts": {
    t: con.execute(f"SELECT count(*) FROM read_parquet('{sys.argv[1]}/{g}', hive_partitioning = 1)").fetchall()[0][0]
    for t, g in globs.items()}}))
"""


def papers(args: list[str], home: Path, **popen) -> subprocess.Popen:
    env = {**os.environ, "PAPERS_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")}
    return subprocess.Popen([str(BIN / "papers"), *args], cwd=REPO_ROOT, env=env, text=True, **popen)


def export(home: Path, out: Path) -> str:
    process = papers(["export", "--out", str(out)], home, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, output
    return output


@pytest.fixture(scope="module")
def sample(tmp_path_factory, sample_home) -> tuple[Path, Path]:
    """The bundled sample published by `papers up --no-serve` (this module's copy of the run's
    shared one, tests/conftest.py), exported by `papers export`."""
    home = Path(shutil.copytree(sample_home, tmp_path_factory.mktemp("copy") / "home"))
    published = home / "warehouse.duckdb"
    out = home / "exports" / "sample"
    assert "Exported 13 tables (listing dates 2024-05-27 to 2025-12-25)" in export(home, out)
    return published, out


@pytest.fixture(scope="module")
def counts(sample) -> dict[str, int]:
    found = warehouse_counts(sample[0])
    assert found["papers"] == 46 and found["search_index"] > 0, "the four sample days, search tables built"
    return found


def globs() -> dict[str, str]:
    return {table.name: table.glob for table in load_catalog().tables}


def test_the_data_card_and_schema_json_state_the_samples_counts(sample, counts):
    _, out = sample
    schema = json.loads((out / "schema.json").read_text())
    assert {t["name"]: t["rows"] for t in schema["tables"]} == counts
    assert schema["listing_dates"] == {"first": "2024-05-27", "last": "2025-12-25", "days": 4}
    readme = (out / "README.md").read_text()
    assert "**2024-05-27 to 2025-12-25**" in readme and f"Rows: {counts['papers']}." in readme
    assert leftovers(out) == []


def test_our_duckdb_polars_pyarrow_and_pandas_read_the_samples_counts(sample, counts):
    _, out = sample
    with duckdb.connect() as con:
        for table, glob in globs().items():
            source = f"read_parquet('{out}/{glob}', hive_partitioning = true)"
            found = {
                "duckdb": con.execute(f"SELECT count(*) FROM {source}").fetchall()[0][0],
                "polars": pl.scan_parquet(out / glob, hive_partitioning=True).select(pl.len()).collect().item(),
                "pyarrow": ds.dataset(out / table, format="parquet", partitioning="hive").count_rows(),
                "pandas": len(pd.read_parquet(out / table)),
            }
            assert set(found.values()) == {counts[table]}, (table, found)
    papers = pd.read_parquet(out / "papers")
    assert sorted(papers["listing_month"].astype(str).unique()) == ["2024-05", "2024-12", "2025-01", "2025-12"]


def test_the_registrys_duckdb_cli_reads_the_samples_counts(sample, counts):
    _, out = sample
    sql = " UNION ALL ".join(
        f"SELECT '{table}', count(*) FROM read_parquet('{out}/{glob}', hive_partitioning = true)"
        for table, glob in globs().items()
    )
    done = subprocess.run([str(BIN / "duckdb"), "-csv", "-noheader", "-c", sql], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    found = {name: int(rows) for name, rows in (line.split(",") for line in done.stdout.split())}
    assert found == counts


@pytest.mark.parametrize("version", [DUCKDB_OLDER, DUCKDB_OLDEST])
def test_older_duckdb_releases_read_the_samples_counts(sample, counts, version):
    _, out = sample
    ensure_release(version)
    answer = json.loads(run_with_duckdb(version, COUNT_TABLES, str(out), json.dumps(globs())))
    assert answer["version"] == version
    assert answer["counts"] == counts


def kill_mid_export(home: Path, out: Path, written_before_kill: str) -> None:
    """Start `papers export --out out`, SIGKILL it once its staging folder holds `written_before_kill`."""
    process = papers(["export", "--out", str(out)], home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    try:
        while not any((staging / written_before_kill).exists() for staging in out.parent.glob(f".{out.name}.export-*")):
            assert process.poll() is None, "the export ended before it could be killed"
            assert time.monotonic() < deadline, "no staging folder appeared"
            time.sleep(0.002)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL


def test_an_export_killed_mid_way_leaves_the_previous_export_whole_and_the_next_run_works(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    # a year at the current volume (~50 papers a day), so the export takes seconds
    generate_warehouse(home / "warehouse.duckdb", days=366, papers_per_day=50, authors_per_paper=8, derived=False)
    out = tmp_path / "export"
    export(home, out)
    before = tree_digest(out)
    for written_before_kill in ("papers", "paper_authors"):
        kill_mid_export(home, out, written_before_kill)
        assert tree_digest(out) == before, f"killed after {written_before_kill} appeared"
        assert len(leftovers(out)) == 1  # the dead export's staging folder, until the next run
    (out / "README.md").write_text("edited, so the next export must replace it")
    assert "Exported 13 tables" in export(home, out)
    assert leftovers(out) == []
    assert json.loads((out / "schema.json").read_text())["tables"][0]["rows"] == 366 * 50
    assert "edited" not in (out / "README.md").read_text()
