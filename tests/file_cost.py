"""A pytest plugin: the test files that cost the most CPU and wall time, printed after the run.

    .venv/bin/python -m pytest -p tests.file_cost ...     (python3 dev.py test loads it)

Each test's cost is what its process (an xdist worker, or pytest itself) and the children it has
reaped used from the test's start to the end of its teardown, so a module's shared server is
charged to the module's first and last tests. The workers send it with their reports; the table
sums it per file, most CPU first. CPU of a process nobody waits for (an orphan of a SIGKILLed
group) is missing here: tests/measure_files.py counts it, one file at a time.
"""

from __future__ import annotations

import resource
import time
from collections import defaultdict

import pytest

KEY = "file_cost"
SHOWN = 25
_started: dict[str, tuple[float, float]] = {}


def _cpu_s() -> float:
    """CPU seconds of this process and of the children it has reaped."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def pytest_runtest_logstart(nodeid: str, location) -> None:
    _started[nodeid] = (time.monotonic(), _cpu_s())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    if call.when == "teardown" and item.nodeid in _started:
        wall0, cpu0 = _started.pop(item.nodeid)
        outcome.get_result().user_properties.append((KEY, (time.monotonic() - wall0, _cpu_s() - cpu0)))


class _Totals:
    def __init__(self) -> None:
        self.by_file: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for key, value in report.user_properties:
            if key == KEY:
                totals = self.by_file[report.nodeid.split("::")[0]]
                totals[0] += value[0]
                totals[1] += value[1]
                totals[2] += 1

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.by_file:
            return
        rows = sorted(self.by_file.items(), key=lambda row: -row[1][1])
        write = terminalreporter.write_line
        terminalreporter.section(f"costliest {min(SHOWN, len(rows))} of {len(rows)} files (CPU of the worker and its children)")
        write(f"{'CPU s':>7} {'wall s':>7} {'tests':>5}  file")
        for path, (wall, cpu, tests) in rows[:SHOWN]:
            write(f"{cpu:7.1f} {wall:7.1f} {tests:5d}  {path}")
        write(f"{sum(r[1][1] for r in rows):7.1f} {sum(r[1][0] for r in rows):7.1f} {sum(r[1][2] for r in rows):5d}  all files")


def pytest_configure(config: pytest.Config) -> None:
    # Only the process that prints (pytest itself, or xdist's controller) sums the reports.
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(_Totals(), "file_cost_totals")
