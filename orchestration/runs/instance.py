"""The persistent Dagster instance under `$DAGSTER_HOME`, configured by the shipped dagster.yaml."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg

from orchestration.event_log_storage import EVENT_BATCH_SIZE
from papers_settings import REPO_ROOT, Settings

# Not at the repo root: `dagster dev` warns about a dagster.yaml in its folder that is not DAGSTER_HOME.
SHIPPED_DAGSTER_YAML = REPO_ROOT / "deploy" / "dagster.yaml"


def prepare_dagster_home(settings: Settings) -> Path:
    """Create `settings.dagster_home` (default `$PAPERS_HOME/dagster`) with the shipped dagster.yaml."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    target = home / "dagster.yaml"
    if not target.exists() and SHIPPED_DAGSTER_YAML.exists():
        shutil.copyfile(SHIPPED_DAGSTER_YAML, target)
    # Dagster finds its instance through this variable (DagsterInstance.get and child processes).
    os.environ["DAGSTER_HOME"] = str(home)
    # Dagster reads this one itself: events it reports together (a ranged run's per-partition
    # events) go to the event log as one batch, which PooledSqliteEventLogStorage stores in one
    # transaction. Set here, it reaches `dagster dev` and its run workers too.
    os.environ.update(DAGSTER_EVENT_BATCH_SIZE=str(EVENT_BATCH_SIZE))
    return home


def ensure_dagster_instance(settings: Settings) -> dg.DagsterInstance:
    """The instance CLI runs are recorded in, so they show in the Dagster UI."""
    prepare_dagster_home(settings)
    return dg.DagsterInstance.get()
