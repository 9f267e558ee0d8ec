"""The packages outside orchestration/ that the ingest path uses never import Dagster (the
benchmark and the CLI's file reading use them without loading it)."""

import subprocess
import sys

from tests.conftest import REPO_ROOT

DAGSTER_FREE = [
    "landing.raw_store",
    "landing.raw_reading",
    "landing.listing_folder",
    "pipeline.fetch_days",
    "pipeline.load_days",
    "pipeline.date_ranges",
    "pipeline.disk_full",
    "warehouse.freshness",
    "warehouse.publish",
    "digest.write",  # `papers digest` and the dashboard's digest page load it without Dagster
    "digest.files",
    "warehouse.export",
    "papers_cli.cmd_export",
]


def test_landing_pipeline_and_warehouse_modules_do_not_import_dagster():
    code = (
        "import importlib, sys\n"
        f"for name in {DAGSTER_FREE!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'dagster' or m.startswith('dagster.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
