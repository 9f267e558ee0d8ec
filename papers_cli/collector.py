"""Python's cyclic garbage collector during a batch command.

Over a year's `papers backfill` (a process of ~11 s) the collector ran ~1,100 young and 6-7 full
collections; each full one walked every object the imports and Dagster's definitions and instance
had made (232,757 counted at the freeze below), ~0.1 s each, holding the GIL the loads' threads also need (docs/benchmark.md,
"Fewer garbage collections"). Those objects live until the process exits.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator

# Young objects collected every 10,000 allocations net instead of 700: a full collection then
# comes ~14x less often. The fetch step still collects in full once per run (the HTTP bodies are
# held by reference cycles, pipeline/fetch_days.py).
BATCH_THRESHOLDS = (10_000, 10, 10)


@contextlib.contextmanager
def batch_collection() -> Iterator[Callable[[], None]]:
    """Within: collections run at BATCH_THRESHOLDS, and calling the function yielded leaves the
    objects alive at that moment out of every later collection (`gc.freeze`): call it once the
    long-lived objects exist. On exit the collector is as it was."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*BATCH_THRESHOLDS)
    try:
        yield gc.freeze
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
