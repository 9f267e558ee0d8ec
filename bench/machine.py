"""A description of the machine and software a benchmark ran on (figures mean little without it)."""

from __future__ import annotations

import importlib.util
import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from papers_settings import REPO_ROOT

PACKAGES = ("duckdb", "polars", "dagster", "dlt", "httpx", "pyarrow")


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def bytecode_state() -> dict:
    """Whether the installed packages' bytecode is there (`uv sync` writes it, pyproject.toml's
    compile-bytecode) and whether Python may write it: without either, every process compiles
    every module it imports (~5 s of CPU for a `papers backfill`)."""
    spec = importlib.util.find_spec("dagster")
    origin = spec.origin if spec else None
    return {
        "installed_packages_compiled": bool(origin) and Path(importlib.util.cache_from_source(str(origin))).exists(),
        "python_writes_bytecode": not sys.dont_write_bytecode,
    }


def describe_machine() -> dict:
    """CPU, cores, memory, OS, Python, key package versions, git commit and load at the start."""
    import psutil

    return {
        "cpu": _cpu_model(),
        "logical_cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": {p: _version(p) for p in PACKAGES},
        "git_commit": _commit(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "bytecode": bytecode_state(),
    }
