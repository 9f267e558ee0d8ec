"""Dagster users' own commands from the repo root: `dg check defs` loads the project, and a dev
server (`dagster dev`, `dg dev`) refuses to run on an instance without the shipped settings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.runs.instance_check import instance_settings_problem, refuse_dev_server_without_shipped_settings

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SHIPPED = REPO_ROOT / "deploy" / "dagster.yaml"


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DAGSTER_HOME", "DAGSTER_IS_DEV_CLI"}}
    return {**env, **extra}


@pytest.fixture
def shipped_home(tmp_path) -> Path:
    home = tmp_path / "dagster"
    home.mkdir()
    shutil.copyfile(SHIPPED, home / "dagster.yaml")
    return home


def test_dg_check_defs_passes_from_the_repo_root(shipped_home, tmp_path):
    done = subprocess.run(
        [str(BIN / "dg"), "check", "defs"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env=clean_env(DAGSTER_HOME=str(shipped_home), PAPERS_HOME=str(tmp_path / "home")),
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "All definitions loaded successfully" in done.stdout + done.stderr


def test_dg_sees_the_code_location_by_its_name():
    from dagster_dg_core.context import DgContext

    context = DgContext.for_project_environment(REPO_ROOT, {})
    assert context.code_location_name == "hf_daily_papers"
    assert context.code_location_target_module_name == "orchestration.definitions"


def load_definitions_as_dev_server(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import orchestration.definitions"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_a_dev_server_without_dagster_home_refuses_and_says_how(tmp_path):
    done = load_definitions_as_dev_server(clean_env(DAGSTER_IS_DEV_CLI="1", PAPERS_HOME=str(tmp_path)))
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert "DAGSTER_HOME is not set" in last and "export DAGSTER_HOME=$PWD/data/dagster" in last


def test_a_dev_server_on_the_shipped_instance_loads(shipped_home, tmp_path):
    done = load_definitions_as_dev_server(
        clean_env(DAGSTER_IS_DEV_CLI="1", DAGSTER_HOME=str(shipped_home), PAPERS_HOME=str(tmp_path))
    )
    assert done.returncode == 0, done.stderr


def test_an_instance_without_the_pool_limit_is_named(shipped_home):
    (shipped_home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    problem = instance_settings_problem({"DAGSTER_HOME": str(shipped_home)})
    assert "concurrency.pools.default_limit: 1" in problem and "run_retries.enabled" in problem
    with pytest.raises(RuntimeError, match="refuses to load"):
        refuse_dev_server_without_shipped_settings({"DAGSTER_HOME": str(shipped_home), "DAGSTER_IS_DEV_CLI": "1"})


def test_the_shipped_instance_files_have_every_setting(shipped_home):
    assert instance_settings_problem({"DAGSTER_HOME": str(shipped_home)}) is None
    shutil.copyfile(REPO_ROOT / "deploy" / "dagster.postgres.yaml", shipped_home / "dagster.yaml")
    assert instance_settings_problem({"DAGSTER_HOME": str(shipped_home)}) is None


def test_outside_a_dev_server_nothing_is_refused():
    refuse_dev_server_without_shipped_settings({})
