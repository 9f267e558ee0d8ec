"""Shorter Dagster backfill-daemon ticks in the `dagster dev` processes the end-to-end tests start.

Python imports `sitecustomize` at start-up from the path; tests/e2e/dagster_harness.py puts this
folder on PYTHONPATH of `dagster dev` with E2E_DAGSTER_BACKFILL_TICK_S set, so its daemon process
(and only processes with that variable) gets the patch. Why: the backfill daemon looks for work
every 30 s (`dagster._daemon.controller.DEFAULT_DAEMON_INTERVAL_SECONDS`, read when its loop
starts) and dagster.yaml has no setting for it; a backfill waits about two ticks (one to launch its
runs, one to see them finished), so a file of ten backfills spent most of its minutes asleep. What
a backfill does is unchanged: only how soon the daemon looks again.

Dagster is not imported here (that would cost every process its start-up): a finder sets the
constant right after the controller module loads, and fails loudly when an upgrade removes it.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys

TARGET = "dagster._daemon.controller"
CONSTANT = "DEFAULT_DAEMON_INTERVAL_SECONDS"


class _SetTickAfterLoad(importlib.abc.MetaPathFinder):
    def __init__(self, seconds: int) -> None:
        self.seconds = seconds

    def find_spec(self, fullname, path, target=None):
        if fullname != TARGET:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        loader, seconds = spec.loader, self.seconds
        exec_module = loader.exec_module

        def exec_then_set(module):
            exec_module(module)
            if not hasattr(module, CONSTANT):
                raise RuntimeError(
                    f"{TARGET}.{CONSTANT} is gone (a Dagster upgrade?): update tests/e2e/quick_ticks/sitecustomize.py"
                )
            setattr(module, CONSTANT, seconds)

        loader.exec_module = exec_then_set  # type: ignore[method-assign]
        return spec


_tick = os.environ.get("E2E_DAGSTER_BACKFILL_TICK_S")
if _tick:
    sys.meta_path.insert(0, _SetTickAfterLoad(int(_tick)))
