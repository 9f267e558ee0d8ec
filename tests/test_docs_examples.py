"""The worked examples of docs/warehouse.md print what the page says they print.

The page shows `$ command` lines each followed by its output, as run after `papers up --no-serve` on the
bundled sample. Here they run in that order in a copy of the home that command left, offline (the sample
is replayed), and each output must equal the page's, line for line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]  # `papers up` and 14 queries, on a loaded machine
REPO_ROOT = Path(__file__).resolve().parent.parent
PAGE = REPO_ROOT / "docs" / "warehouse.md"


def examples(text: str) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) of every `$ ` line in the page's plain code blocks."""
    found = []
    for block in re.findall(r"^```\n(\$ .*?)^```", text, flags=re.MULTILINE | re.DOTALL):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, *output = chunk.rstrip("\n").split("\n")
            found.append((command, output))
    return found


def test_the_page_has_examples_to_check():
    commands = [command for command, _ in examples(PAGE.read_text())]
    assert len(commands) >= 10 and all(c.startswith(("papers sql", "HF_API_BASE_URL=sample papers")) for c in commands), commands


def test_every_worked_example_prints_what_the_page_shows(tmp_path, sample_home):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PAPERS_HOME", "DAGSTER_HOME", "HF_API_BASE_URL", "HF_TOKEN", "VIRTUAL_ENV"}
    }
    env.update(PAPERS_HOME=str(tmp_path / "papers_home"), PATH=f"{REPO_ROOT / '.venv' / 'bin'}:{env['PATH']}")
    # What `papers up --no-serve` leaves in a fresh home (made once per run, tests/conftest.py):
    # this test's own copy, Dagster's instance included, since an example backfills into it.
    shutil.copytree(sample_home, tmp_path / "papers_home")
    for command, expected in examples(PAGE.read_text()):
        done = subprocess.run(["bash", "-c", command], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, f"{command}\n{done.stderr[-3000:]}"
        assert done.stdout.splitlines() == expected, f"{command}\nprinted:\n{done.stdout}"
