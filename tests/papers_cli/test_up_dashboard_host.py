"""`papers up` binds the dashboard to 127.0.0.1 unless another address is asked for explicitly."""

from __future__ import annotations

from pathlib import Path

from papers_cli.cmd_up import dashboard_command
from papers_cli.main import build_parser


def test_the_dashboard_host_defaults_to_loopback(monkeypatch):
    monkeypatch.delenv("PAPERS_DASHBOARD_HOST", raising=False)
    args = build_parser().parse_args(["up"])
    assert args.dashboard_host == "127.0.0.1" and not args.enable_sql_console


def test_another_host_comes_from_the_option_or_the_environment(monkeypatch):
    monkeypatch.setenv("PAPERS_DASHBOARD_HOST", "0.0.0.0")
    assert build_parser().parse_args(["up"]).dashboard_host == "0.0.0.0"
    assert build_parser().parse_args(["up", "--dashboard-host", "192.0.2.2"]).dashboard_host == "192.0.2.2"


def test_the_streamlit_command_passes_the_host():
    command = dashboard_command(Path("/venv/bin"), Path("app.py"), "127.0.0.1", 8501)
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    assert command[command.index("--server.port") + 1] == "8501"
