"""Refuse to serve the project from a Dagster instance without the shipped settings.

`dagster dev` (and `dg dev`, which runs it) without `DAGSTER_HOME` uses a temporary instance
with Dagster's defaults: no `duckdb_writer` pool limit (two steps would write DuckDB at once and
one fails), no run retries or run monitoring, and runs that `papers backfill` records elsewhere.
The definitions check the instance the dev server runs with and, when it lacks those settings,
fail to load with a message saying what to run; the UI shows it as the code location's error.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import yaml

# Set by `dagster dev` for its code servers (dagster/_cli/dev.py).
DEV_CLI_FLAG = "DAGSTER_IS_DEV_CLI"

HOW_TO = (
    "run `papers up`, or from the repo root: `export DAGSTER_HOME=$PWD/data/dagster; "
    "mkdir -p $DAGSTER_HOME; cp -n deploy/dagster.yaml $DAGSTER_HOME/; dagster dev` (or `dg dev`)"
)


def instance_settings_problem(env: Mapping[str, str]) -> str | None:
    """What is missing from the instance in `env`'s DAGSTER_HOME, or None when all is there."""
    home = env.get("DAGSTER_HOME")
    if not home:
        return (
            "DAGSTER_HOME is not set, so Dagster runs a temporary instance without the shipped "
            "deploy/dagster.yaml (duckdb_writer pool limit, run retries, run monitoring) and "
            "without the runs `papers backfill` records"
        )
    config_path = Path(home) / "dagster.yaml"
    if not config_path.exists():
        return f"{config_path} does not exist (DAGSTER_HOME has no instance settings)"
    config = yaml.safe_load(config_path.read_text()) or {}
    missing = [
        name
        for name, present in [
            ("concurrency.pools.default_limit: 1", _get(config, "concurrency", "pools", "default_limit") == 1),
            ("run_retries.enabled: true", _get(config, "run_retries", "enabled") is True),
            ("run_monitoring.enabled: true", _get(config, "run_monitoring", "enabled") is True),
        ]
        if not present
    ]
    if missing:
        return f"{config_path} lacks {', '.join(missing)} (see deploy/dagster.yaml)"
    return None


def refuse_dev_server_without_shipped_settings(env: Mapping[str, str] = os.environ) -> None:
    """Raise when running under `dagster dev`/`dg dev` on an instance without our settings."""
    if env.get(DEV_CLI_FLAG) != "1":
        return
    problem = instance_settings_problem(env)
    if problem:
        raise RuntimeError(f"hf_daily_papers refuses to load: {problem}. To fix: {HOW_TO}.")


def _get(config: object, *keys: str):
    for key in keys:
        if not isinstance(config, dict):
            return None
        config = config.get(key)
    return config
