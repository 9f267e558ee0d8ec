"""The persistent Dagster instance under `$DAGSTER_HOME`, configured by the shipped dagster.yaml."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg

from warehouse import settings

# Not at the repo root: `dagster dev` warns about a dagster.yaml in its folder that is not DAGSTER_HOME.
SHIPPED_DAGSTER_YAML = settings.REPO_ROOT / "deploy" / "dagster.yaml"


def prepare_dagster_home() -> Path:
    """Create `$DAGSTER_HOME` (default `$PAPERS_HOME/dagster`) with the shipped dagster.yaml."""
    home = settings.dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    target = home / "dagster.yaml"
    if not target.exists() and SHIPPED_DAGSTER_YAML.exists():
        shutil.copyfile(SHIPPED_DAGSTER_YAML, target)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def ensure_dagster_instance() -> dg.DagsterInstance:
    """The instance CLI runs are recorded in, so they show in the Dagster UI."""
    prepare_dagster_home()
    return dg.DagsterInstance.get()
