"""A full disk is one clear line, and the warehouse is untouched (issue 17).

A real `papers backfill` with `PAPERS_HOME` on a small tmpfs that is really full: nothing is
simulated, but mounting needs root, so the test is skipped elsewhere. The disk is filled up to
~50 KB free, so the first raw page the run lands does not fit (the raw landing path), then (the
ballast removed and laid again) up to 1.5 MB free, so the raw pages fit and DuckDB's writes to
the working warehouse do not (the path that showed DuckDB's "cannot rollback - no transaction is
active"). A disk that fills during the publish copy is not exercised here.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from tests.e2e.cli_helpers import PAPERS, REPO_ROOT, papers_env, published_rows
from tests.e2e.test_cli_backfill import END, START, table_snapshot

pytestmark = pytest.mark.e2e
LEFT_FREE = 50_000


@pytest.fixture
def small_disk(tmp_path):
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def papers(args, home, dagster_home, base_url) -> subprocess.CompletedProcess:
    # DAGSTER_HOME off the full disk: Dagster's own SQLite storage is not what is tested here.
    env = {**papers_env(home, base_url), "DAGSTER_HOME": str(dagster_home)}
    return subprocess.run([str(PAPERS), *args], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)


def fill(disk, leave: int) -> None:
    with open(disk / "ballast", "wb") as ballast:
        while (free := shutil.disk_usage(disk).free) > leave:
            ballast.write(b"\0" * min(1 << 20, free - leave))
            ballast.flush()


def test_a_full_disk_is_one_line_naming_the_disk_and_the_warehouse_is_untouched(tmp_path, small_disk):
    days_dir = tmp_path / "served"
    fixture_days(days_dir, (END - START).days + 1, START)
    home, dagster_home = small_disk / "home", tmp_path / "dagster"
    with FakeHFServer(days_dir) as server:
        first = papers(["backfill", "--start", str(START), "--end", str(START)], home, dagster_home, server.base_url)
        assert first.returncode == 0, first.stderr
        before = table_snapshot(home)
        # Both ways to fill up, one after the other on the same warehouse (one first load and one
        # recovery serve both; each failed run must leave the warehouse exactly as it was).
        for left_free in (LEFT_FREE, 1_500_000):
            fill(small_disk, left_free)
            full = papers(["backfill", "--start", str(START), "--end", str(END)], home, dagster_home, server.base_url)
            output = full.stdout + full.stderr
            assert full.returncode == 1, f"{left_free} bytes left: {output}"
            flat = " ".join(output.split())  # the terminal wraps long lines
            assert f"No space left on device writing {home}" in flat, f"{left_free} bytes left: {output}"
            assert "max_retries" not in output and "no transaction is active" not in output, output
            assert table_snapshot(home) == before
            assert not list(home.glob(".warehouse.duckdb.*.tmp"))
            (small_disk / "ballast").unlink()

        again = papers(["backfill", "--start", str(START), "--end", str(END)], home, dagster_home, server.base_url)
    assert again.returncode == 0, again.stdout + again.stderr
    assert published_rows(home, "SELECT count(*) FROM partition_loads")[0][0] == (END - START).days + 1
