"""A fresh browser tab to a rendered Overview, in real Chromium, beside an empty Streamlit page.

One `streamlit run dashboard/app.py` server over a published warehouse and one over
bench/empty_page.py (a title and nothing else: what Streamlit itself costs), one Chromium
(Debian's, driven by Playwright, no browser download) for both. The browser's start and one
warm-up tab per server are not counted (the cold process is excluded, warm caches allowed);
then each round opens a new browser context (no cookies, no cache, no session: a fresh tab)
on each server, alternated, and times from `goto` until the page is rendered: the script run
has ended, its title is drawn, no skeleton is left and every chart has drawn.

    python -m bench.measure_fresh_tab --home DIR [--repeats 10]

DIR is a PAPERS_HOME holding a published warehouse.duckdb; prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.chromium import CHROMIUM, CHROMIUM_ARGS
from bench.measure_queries import percentile
from bench.streamlit_health import became_healthy
from bench.subprocesses import child_env
from papers_settings import REPO_ROOT

EMPTY_PAGE = "bench/empty_page.py"
VIEWPORT = {"width": 1440, "height": 1000}
# Rendered: Streamlit says its script run ended (the attribute its own end-to-end tests wait on),
# a title is drawn, no skeleton placeholder is left, and every Vega chart has drawn its canvas.
RENDERED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (!document.querySelector('[data-testid="stMainBlockContainer"] h1')) return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')];
  return charts.every(chart => chart.querySelector('canvas, svg') !== null);
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(app: str, home: Path, log: Path, timeout_s: float = 120) -> Iterator[str]:
    """`streamlit run app` headless with PAPERS_HOME=home until the block ends; yields its URL."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        app,
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    env = child_env({"PAPERS_HOME": str(home), "DAGSTER_HOME": str(home / "dagster")})
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_until_healthy(server, app, port, log, timeout_s)
            yield f"http://127.0.0.1:{port}/"
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_until_healthy(server: subprocess.Popen, app: str, port: int, log: Path, timeout_s: float) -> None:
    if not became_healthy(server, port, timeout_s):
        raise RuntimeError(f"streamlit {app} did not become healthy in {timeout_s:.0f} s: {log.read_text()[-2000:]}")


def time_fresh_tab(browser, url: str, timeout_ms: float = 120_000) -> float:
    """Milliseconds from opening `url` in a new browser context to a rendered page."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.set_default_timeout(timeout_ms)
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_function(RENDERED, polling="raf")
        elapsed = (time.perf_counter() - started) * 1000
        if page.locator('[data-testid="stException"]').count():
            raise RuntimeError(f"{url} rendered an exception: {page.locator('[data-testid=stException]').first.inner_text()}")
        return elapsed
    finally:
        context.close()


def summary(samples: list[float]) -> dict:
    """Median, p95 and max of `samples` (ms), and the samples in the order they were taken."""
    return {
        "median_ms": percentile(samples, 50),
        "p95_ms": percentile(samples, 95),
        "max_ms": max(samples),
        "samples_ms": [round(sample, 1) for sample in samples],
    }


def measure_fresh_tab(home: Path, repeats: int = 10) -> dict:
    """Fresh tab to a rendered Overview of `home`'s warehouse and to an empty Streamlit page,
    `repeats` alternated rounds after one warm-up each; the Overview's median minus the empty
    page's is what our code costs on top of Streamlit."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: install Debian chromium (apt-get install -y chromium)")
    published = home / "warehouse.duckdb"
    if not published.exists():
        raise FileNotFoundError(f"no published warehouse at {published}")
    logs = home / "fresh_tab_logs"
    logs.mkdir(exist_ok=True)
    with (
        streamlit_server("dashboard/app.py", home, logs / "dashboard.log") as overview_url,
        streamlit_server(EMPTY_PAGE, home, logs / "empty_page.log") as empty_url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            warm_up = {"overview_ms": time_fresh_tab(browser, overview_url), "empty_page_ms": time_fresh_tab(browser, empty_url)}
            overview, empty = [], []
            for _ in range(repeats):
                overview.append(time_fresh_tab(browser, overview_url))
                empty.append(time_fresh_tab(browser, empty_url))
        finally:
            browser.close()
    return {
        "warehouse": str(published),
        "warehouse_mb": round(published.stat().st_size / 1e6, 1),
        "repeats": repeats,
        "warm_up": warm_up,
        "overview": summary(overview),
        "empty_page": summary(empty),
        "ours_median_ms": percentile(overview, 50) - percentile(empty, 50),
    }


def main(argv: list[str] | None = None) -> int:
    """Measure on `--home` and print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="a PAPERS_HOME with a published warehouse.duckdb")
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args(argv)
    print(json.dumps(measure_fresh_tab(args.home, args.repeats)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
