"""Only papers_settings reads the environment; a new `os.environ`/`getenv` elsewhere fails here.

The few other uses are listed with why they stay: they write the environment for Dagster or a
child process, or are Dagster's own variables about its instance.
"""

from __future__ import annotations

import re

from papers_settings import REPO_ROOT

# papers_settings is where the environment is read, so it is not scanned.
PRODUCT_PACKAGES = ["hf_api", "orchestration", "warehouse", "transforms", "dashboard", "papers_cli", "bench"]
ENVIRONMENT_USE = re.compile(r"\bos\.environ\b|\bgetenv\b|\bfrom os import\b|\bos\.putenv\b")

# file -> (uses, why). The count makes a second use in a listed file fail too.
ALLOWED = {
    "orchestration/runs/instance.py": (
        2,
        "writes DAGSTER_HOME, which Dagster reads to find its instance, and DAGSTER_EVENT_BATCH_SIZE (batched event writes)",
    ),
    "orchestration/runs/instance_check.py": (1, "the dev server's own DAGSTER_IS_DEV_CLI / DAGSTER_HOME"),
    "orchestration/event_log_storage.py": (1, "Dagster's instance folder, as Dagster resolves it"),
    "papers_cli/cmd_up.py": (1, "the dashboard child's environment"),
    "bench/subprocesses.py": (1, "a worker child's environment"),
    "bench/measure_event_batch.py": (
        2,
        "sets DAGSTER_HOME and DAGSTER_EVENT_BATCH_SIZE for the runs it measures in its own process",
    ),
    "bench/fetch_worker.py": (2, "dlt's own configuration variables for the comparison run"),
    "bench/measure_cli_backfill.py": (1, "TRACE_PHASES_OUT, a benchmark-only switch: trace the measured backfill's phases"),
    "bench/trace_phases.py": (1, "the file TRACE_PHASES_OUT names, in the traced `papers backfill` process"),
}


def environment_uses() -> dict[str, list[str]]:
    """Lines that touch the process environment, by file relative to the repo root."""
    found: dict[str, list[str]] = {}
    for package in PRODUCT_PACKAGES:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            lines = [line.strip() for line in path.read_text().splitlines() if ENVIRONMENT_USE.search(line)]
            if lines:
                found[str(path.relative_to(REPO_ROOT))] = lines
    return found


def test_the_environment_is_read_only_through_settings():
    found = environment_uses()
    unexpected = {path: lines for path, lines in found.items() if path not in ALLOWED or len(lines) != ALLOWED[path][0]}
    assert not unexpected, (
        "Read settings through papers_settings.Settings.from_env(), not os.environ/getenv "
        f"(or list the use in ALLOWED with why): {unexpected}"
    )


def test_every_allowed_use_still_exists():
    # A stale entry would let a new read slip into that file unnoticed.
    assert set(ALLOWED) <= set(environment_uses())


def test_the_pattern_catches_the_ways_to_read_the_environment():
    for line in ['x = os.environ.get("A")', 'os.getenv("A")', "from os import environ", 'v = os.environ["A"]']:
        assert ENVIRONMENT_USE.search(line), line
    assert not ENVIRONMENT_USE.search('environ.get("PATH_INFO")')  # a WSGI environ is not the process's
