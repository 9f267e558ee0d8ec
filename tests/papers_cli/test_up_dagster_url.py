"""`papers up --dagster-port N` tells the dashboard where that Dagster UI is."""

from __future__ import annotations

import subprocess

from rich.console import Console

from papers_cli import cmd_up


class FinishedProcess:
    """A Popen stand-in that records how it was started (nothing runs, nothing is signalled)."""

    started: list[dict] = []

    def __init__(self, args, **kwargs) -> None:
        FinishedProcess.started.append({"args": args, **kwargs})


def test_the_dashboard_gets_the_url_of_the_dagster_ui_started_next_to_it(monkeypatch):
    monkeypatch.setenv("DAGSTER_UI_URL", "http://127.0.0.1:3000")  # a stale value is replaced
    monkeypatch.setattr(subprocess, "Popen", FinishedProcess)
    monkeypatch.setattr(cmd_up, "serve_until_interrupted", lambda start, say: start([]) or 0)
    FinishedProcess.started = []
    cmd_up._serve(Console(quiet=True), dagster_port=4321, dashboard_port=8599)
    [dagster, dashboard] = FinishedProcess.started
    assert "4321" in dagster["args"]
    assert "streamlit" in dashboard["args"][0]
    assert dashboard["env"]["DAGSTER_UI_URL"] == "http://127.0.0.1:4321"
