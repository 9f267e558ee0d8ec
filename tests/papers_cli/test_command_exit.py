"""The console script exits with main()'s status, with what is left frozen out of the garbage
collector (Python's last collections at exit would walk it all again)."""

import gc
import tomllib

import pytest

from papers_cli import main as cli
from papers_settings import REPO_ROOT


def test_the_command_exits_with_mains_status_and_freezes_what_is_left(monkeypatch):
    monkeypatch.setattr(cli, "main", lambda: 3)
    gc.unfreeze()
    try:
        with pytest.raises(SystemExit) as exited:
            cli.command()
        assert exited.value.code == 3
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # this test process goes on


def test_the_console_script_is_the_command():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["papers"] == "papers_cli.main:command"
