"""`papers up`: load the bundled sample (or live days), publish, and start the UI and dashboard."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from papers_cli.services import serve_until_interrupted, start_service
from papers_settings import REPO_ROOT, Settings
from papers_settings.settings import default_to_sample
from warehouse.paths import WarehousePaths


def register(subparsers, settings: Settings) -> None:
    parser = subparsers.add_parser(
        "up",
        help="load the sample days, publish the warehouse, start Dagster UI and dashboard",
        description="Sets PAPERS_HOME and DAGSTER_HOME up, materializes the bundled sample days "
        "(offline, replayed through the same HF client), publishes the warehouse, then runs "
        "`dagster dev` and the Streamlit dashboard until Ctrl-C.",
    )
    parser.add_argument("--live", action="store_true", help="use the real HF API (HF_API_BASE_URL) instead of the bundled sample")
    parser.add_argument("--dagster-port", type=int, default=3000)
    parser.add_argument("--dashboard-port", type=int, default=8501)
    parser.add_argument(
        "--dashboard-host",
        default=settings.dashboard_host,
        help="address the dashboard listens on (default 127.0.0.1, or $PAPERS_DASHBOARD_HOST); "
        "any other address turns the SQL console off unless --enable-sql-console",
    )
    parser.add_argument(
        "--enable-sql-console",
        action="store_true",
        help="keep the SQL console on even when the dashboard listens beyond loopback "
        "(sets PAPERS_SQL_CONSOLE=on for the dashboard)",
    )
    parser.add_argument("--no-serve", action="store_true", help="only load and publish; do not start the UI and dashboard")
    parser.set_defaults(handler=run)


def run(args, settings: Settings) -> int:
    console = Console(stderr=True)
    if not args.live:
        settings = default_to_sample()
    from hf_api.sample_replay import bundled_sample_dates
    from orchestration.runs.instance import ensure_dagster_instance

    home = settings.papers_home
    home.mkdir(parents=True, exist_ok=True)
    console.print(settings_line(home, settings.hf_api_base_url))
    with ensure_dagster_instance(settings) as instance:
        status = _load_missing_sample_days(console, settings, instance, bundled_sample_dates())
    if status != 0:
        return status
    from warehouse.backend import describe

    console.print(f"Published warehouse: {describe(settings.warehouse)}")
    if args.no_serve:
        return 0
    return _serve(console, args.dagster_port, args.dashboard_port, args.dashboard_host, sql_console_on=args.enable_sql_console)


def _load_missing_sample_days(console, settings: Settings, instance, sample_days) -> int:
    from orchestration.partitions import MAX_PARTITIONS_PER_RUN
    from orchestration.runs.backfill import backfill
    from pipeline.date_ranges import contiguous_ranges

    missing = [day for day in sample_days if not _loaded(settings.warehouse, day)]
    if not missing:
        console.print("Sample days already loaded.")
        return 0
    console.print(f"Loading {len(missing)} sample day(s): {', '.join(map(str, missing))}")
    report = backfill(contiguous_ranges(missing, MAX_PARTITIONS_PER_RUN), instance)
    for day, reason in sorted(report.failed.items()):
        console.print(f"[red]{day}: {reason}[/red]")
    if report.search_failure:
        console.print(f"[red]search tables not rebuilt: {report.search_failure}[/red]")
    return 0 if report.ok else 1


def _loaded(paths: WarehousePaths, day) -> bool:
    from warehouse.backend import open_reader, published_exists

    if not published_exists(paths):
        return False
    with open_reader(paths) as con:
        return con.execute("SELECT count(*) FROM partition_loads WHERE listing_date = ?", [day]).fetchall()[0][0] > 0


def settings_line(home, base_url: str | None) -> str:
    """The settings `papers up` runs with, as printed: a password in the base URL shows as ***."""
    from hf_api.url_redaction import redact_userinfo

    return f"PAPERS_HOME={home}  HF_API_BASE_URL={redact_userinfo(base_url) if base_url else base_url}"


def dashboard_command(bin_dir: Path, app: Path, host: str, port: int) -> list[str]:
    """The `streamlit run` command of the dashboard, bound to `host` only."""
    return [
        str(bin_dir / "streamlit"),
        "run",
        str(app),
        "--server.headless",
        "true",
        "--server.address",
        host,
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
    ]


def dashboard_env(dagster_port: int, sql_console_on: bool = False) -> dict[str, str]:
    """The dashboard's environment (this process's, passed on to the child): its run links point
    at the Dagster UI started next to it; `sql_console_on` sets PAPERS_SQL_CONSOLE=on."""
    env = {**os.environ, "DAGSTER_UI_URL": f"http://127.0.0.1:{dagster_port}"}
    if sql_console_on:
        env["PAPERS_SQL_CONSOLE"] = "on"
    return env


def _serve(
    console, dagster_port: int, dashboard_port: int, dashboard_host: str = "127.0.0.1", sql_console_on: bool = False
) -> int:
    bin_dir = Path(sys.executable).parent
    repo = REPO_ROOT
    # No -m: from the repo root dagster dev loads pyproject's [tool.dagster], which names the code
    # location hf_daily_papers (with -m it would be "orchestration.definitions").
    app = repo / "dashboard" / "app.py"

    def start(processes: list[subprocess.Popen]) -> None:
        processes.append(start_service([str(bin_dir / "dagster"), "dev", "-h", "127.0.0.1", "-p", str(dagster_port)], repo))
        if app.exists():
            command = dashboard_command(bin_dir, app, dashboard_host, dashboard_port)
            processes.append(start_service(command, repo, dashboard_env(dagster_port, sql_console_on)))
        console.print(f"Dagster UI:  http://127.0.0.1:{dagster_port}")
        if app.exists():
            console.print(f"Dashboard:   http://{dashboard_host}:{dashboard_port}")
        console.print('Query:       papers sql "SELECT listing_date, count(*) FROM papers GROUP BY 1"')
        console.print("Ctrl-C stops everything.")

    return serve_until_interrupted(start, console.print)
