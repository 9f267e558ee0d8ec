"""Shorter Dagster daemon ticks in the `dagster dev` processes the end-to-end tests start.

Python imports `sitecustomize` at start-up from the path; tests/e2e/dagster_harness.py puts this
folder on PYTHONPATH of `dagster dev` with the variables below set, so its processes (and only
processes with those variables) get the patch. What a backfill or a sensor does is unchanged: only
how soon Dagster looks again.

- E2E_DAGSTER_BACKFILL_TICK_S: the backfill daemon looks for work every 30 s
  (`dagster._daemon.controller.DEFAULT_DAEMON_INTERVAL_SECONDS`, read when its loop starts) and
  dagster.yaml has no setting for it; a backfill waits about two ticks (one to launch its runs, one
  to see them finished), so a file of ten backfills spent most of its minutes asleep.
- E2E_DAGSTER_SENSOR_TICK_S: a sensor without its own `minimum_interval_seconds` (our two
  AutomationConditionSensorDefinitions: the search rebuild and the weekly digest after loads) is
  evaluated every 30 s (`dagster._core.definitions.sensor_definition.DEFAULT_SENSOR_DAEMON_INTERVAL`,
  read when the code server builds the definitions). A test waiting for the search rebuild or a
  digest after a backfill waited up to 30 s for nothing. (The asset daemon itself loops every 5 s.)

Dagster is not imported here (that would cost every process its start-up): a finder sets each
constant right after its module loads, and fails loudly when an upgrade removes it.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys

# variable -> (module, constant it sets)
TICKS = {
    "E2E_DAGSTER_BACKFILL_TICK_S": ("dagster._daemon.controller", "DEFAULT_DAEMON_INTERVAL_SECONDS"),
    "E2E_DAGSTER_SENSOR_TICK_S": ("dagster._core.definitions.sensor_definition", "DEFAULT_SENSOR_DAEMON_INTERVAL"),
}


class _SetAfterLoad(importlib.abc.MetaPathFinder):
    """Sets module constants right after the module's own code ran: {module: {constant: value}}."""

    def __init__(self, values: dict[str, dict[str, int]]) -> None:
        self.values = values

    def find_spec(self, fullname, path, target=None):
        if fullname not in self.values:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        loader, constants = spec.loader, self.values[fullname]
        exec_module = loader.exec_module

        def exec_then_set(module):
            exec_module(module)
            for constant, value in constants.items():
                if not hasattr(module, constant):
                    raise RuntimeError(
                        f"{fullname}.{constant} is gone (a Dagster upgrade?): update tests/e2e/quick_ticks/sitecustomize.py"
                    )
                setattr(module, constant, value)

        loader.exec_module = exec_then_set  # type: ignore[method-assign]
        return spec


_values: dict[str, dict[str, int]] = {}
for _variable, (_module, _constant) in TICKS.items():
    if _seconds := os.environ.get(_variable):
        _values.setdefault(_module, {})[_constant] = int(_seconds)
if _values:
    sys.meta_path.insert(0, _SetAfterLoad(_values))
