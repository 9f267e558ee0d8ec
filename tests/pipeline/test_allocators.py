"""pipeline/allocators.py: the allocator settings a process of the product starts with."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys

import pytest

from papers_settings import REPO_ROOT
from pipeline.allocators import DECAY_MS, MALLOC_ARENAS, POLARS_JEMALLOC_CONF, limit_malloc_arenas

glibc_only = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt, DuckDB's Linux jemalloc")

# Run in a fresh process: the settings are made once, before Polars is imported.
_PROBE = """
import json, os, ctypes, _duckdb
import {package}
mallctl = ctypes.CDLL(_duckdb.__file__).duckdb_je_mallctl
value, size = ctypes.c_ssize_t(-5), ctypes.c_size_t(8)
mallctl(b"arenas.dirty_decay_ms", ctypes.byref(value), ctypes.byref(size), None, 0)
print(json.dumps({{"env": os.environ.get("_RJEM_MALLOC_CONF"), "duckdb_dirty_decay_ms": value.value}}))
"""


def _probe(package: str, env: dict[str, str]) -> tuple[dict, str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(package=package)],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.splitlines()[-1]), done.stderr


@glibc_only
@pytest.mark.parametrize("package", ["orchestration", "papers_cli"])
def test_importing_the_package_sets_the_allocators_up(package):
    # confirm_conf makes Polars' jemalloc print the settings it read, in order, when it starts.
    seen, stderr = _probe(package, {"_RJEM_MALLOC_CONF": "confirm_conf:true"})
    polars_conf = next(line for line in stderr.splitlines() if "environment variable MALLOC_CONF" in line)
    # ours, then the user's (which wins where both set an option); the environment as it was
    assert f"{POLARS_JEMALLOC_CONF},confirm_conf:true" in polars_conf
    assert seen == {"env": "confirm_conf:true", "duckdb_dirty_decay_ms": DECAY_MS}


@glibc_only
def test_without_the_package_the_allocators_keep_their_defaults():
    # the probe's own check can fail: DuckDB's jemalloc decays after 1000 ms by default
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(package="json")], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout.splitlines()[-1])["duckdb_dirty_decay_ms"] == 1000


@glibc_only
def test_the_arena_limit_is_accepted_by_glibc():
    assert limit_malloc_arenas(MALLOC_ARENAS) is True
