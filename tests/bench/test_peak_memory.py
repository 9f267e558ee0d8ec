"""A worker's peak memory is its own, not the peak of the process that started it."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO_ROOT


def test_a_worker_reports_its_own_peak_not_its_parents():
    held = bytearray(300 * 1024 * 1024)
    for offset in range(0, len(held), 4096):  # touch every page so it is resident
        held[offset] = 1
    reported = subprocess.run(
        [sys.executable, "-c", "from bench.peak_memory import own_peak_rss_mb; print(own_peak_rss_mb())"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert 0 < float(reported) < 150  # ru_maxrss would say >= 300 MB here (kept across fork+exec)
    del held
