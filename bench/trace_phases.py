"""`papers ...` in this process with the load run's phases timed: each named function below is
wrapped where the load step calls it, and every call appends one JSON line (name, wall seconds,
CPU seconds of the calling thread and of the whole process (DuckDB's threads, and the fetch's
while it runs), start offset from the process start) to the file named by
`$TRACE_PHASES_OUT`. For finding where a daily run's time goes without a profiler's overhead:

    TRACE_PHASES_OUT=phases.jsonl python -m bench.trace_phases backfill --start .. --end ..

Only timestamps are taken; the product's behaviour is unchanged.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections.abc import Callable

_STARTED = time.perf_counter()

# (module, attribute): the name under which the load step or the publish looks the function up.
TRACED = [
    ("orchestration.ingest.daily_papers", "open_writer"),
    ("orchestration.ingest.daily_papers", "load_chunks"),
    ("orchestration.ingest.daily_papers", "table_metadata"),
    ("orchestration.ingest.daily_papers", "index_before_publish"),
    ("orchestration.ingest.daily_papers", "publish"),
    ("orchestration.ingest.daily_papers", "_ingest"),
    ("orchestration.ingest.daily_papers", "fetch_and_land"),
    ("pipeline.load_days", "batches_for_fetches"),
    ("pipeline.load_days", "replace_partitions_in_chunks"),
    ("pipeline.load_days", "relink_listed_papers"),
    ("warehouse.load", "_load_chunk"),
    ("warehouse.load", "_upsert_dimensions"),
    ("warehouse.load", "refresh_keyword_weeks"),
    ("orchestration.ingest.daily_papers", "table_check_results"),
    ("pipeline.landed_stream", "LandedStream.wait_for_first"),
    ("warehouse.publish", "connect_writer"),
    ("warehouse.publish", "checkpoint_and_log"),
    ("warehouse.publish", "sync_chunks"),
    ("warehouse.publish", "_verify"),
    ("warehouse.publish", "_by_exchange"),
    ("warehouse.publish", "_by_copy"),
    ("warehouse.publish", "publish_file"),
    ("warehouse.db", "apply_schema"),
]


def _record(name: str, wall: float, cpu: float, start: float, process_cpu: float = 0.0) -> None:
    line = {"name": name, "wall_s": wall, "thread_cpu_s": cpu, "process_cpu_s": process_cpu, "at_s": start}
    with open(os.environ["TRACE_PHASES_OUT"], "a") as out:
        out.write(json.dumps(line) + "\n")


def _timed(name: str, function: Callable) -> Callable:
    @functools.wraps(function)
    def timed(*args, **kwargs):
        start, cpu, process_cpu = time.perf_counter(), time.thread_time(), time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            ended = time.perf_counter()
            _record(name, ended - start, time.thread_time() - cpu, start - _STARTED, time.process_time() - process_cpu)

    return timed


def install() -> None:
    """Wrap every function of TRACED that exists in this tree (a missing one is skipped)."""
    import importlib

    for module_name, attribute in TRACED:
        module = importlib.import_module(module_name)
        owner, _, name = attribute.rpartition(".")
        holder = getattr(module, owner) if owner else module
        function = getattr(holder, name, None)
        if function is not None:
            setattr(holder, name, _timed(f"{module_name.rsplit('.', 1)[-1]}.{attribute}", function))


def main() -> int:
    """Install the timers, then run the product's command line with this process's arguments."""
    from papers_cli.main import main as papers_main

    _record("imports_and_install", time.perf_counter() - _STARTED, time.process_time(), 0.0)
    install()
    sys.argv = ["papers", *sys.argv[1:]]
    return papers_main()


if __name__ == "__main__":
    raise SystemExit(main())
