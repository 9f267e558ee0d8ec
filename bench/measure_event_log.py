"""Dagster's stock SQLite event log vs the pooled one (orchestration/event_log_storage.py).

Two measures, each on a fresh instance per storage, alternated `--rounds` times:
- `events`: asset materialization events written one by one (`report_runless_asset_event`);
- `run`: one run materializing a daily-partitioned asset over a quarter (92 partitions), as a
  backfill run of this project does, timed whole (start-up, steps, ~2 events per partition).

    .venv/bin/python -m bench.measure_event_log [--events 500] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import dagster as dg

from bench.machine import describe_machine

STOCK = ""
POOLED = """event_log_storage:
  module: orchestration.event_log_storage
  class: PooledSqliteEventLogStorage
  config:
    base_dir: {folder}/history/runs
"""
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
QUARTER = dg.DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-04-03")


@dg.asset(partitions_def=QUARTER, backfill_policy=dg.BackfillPolicy.single_run())
def quarter() -> dg.MaterializeResult:
    """Does nothing; Dagster records a materialization of every partition of the run."""
    return dg.MaterializeResult()


def _instance(folder: Path, yaml: str) -> dg.DagsterInstance:
    (folder / "dagster.yaml").write_text(yaml.format(folder=folder))
    return dg.DagsterInstance.from_config(str(folder))


def time_events(yaml: str, count: int) -> float:
    """Seconds per event written."""
    with tempfile.TemporaryDirectory() as folder, _instance(Path(folder), yaml) as instance:
        start = time.perf_counter()
        for index in range(count):
            instance.report_runless_asset_event(dg.AssetMaterialization("thing", metadata={"i": index}))
        return (time.perf_counter() - start) / count


def time_run(yaml: str) -> float:
    """Seconds for one run over the quarter's 92 partitions."""
    with tempfile.TemporaryDirectory() as folder, _instance(Path(folder), yaml) as instance:
        start = time.perf_counter()
        result = dg.materialize(
            [quarter],
            instance=instance,
            run_config=QUIET,
            tags={"dagster/asset_partition_range_start": "2025-01-01", "dagster/asset_partition_range_end": "2025-04-02"},
        )
        assert result.success
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    info = describe_machine()
    print(
        f"dagster {dg.__version__}; {info['cpu']}; {info['logical_cores']} cores; load at start {info['load_average_at_start']}"
    )
    figures: dict[str, dict[str, list[float]]] = {"stock": {"events": [], "run": []}, "pooled": {"events": [], "run": []}}
    for _ in range(args.rounds):
        for name, yaml in (("stock", STOCK), ("pooled", POOLED)):
            figures[name]["events"].append(time_events(yaml, args.events))
            figures[name]["run"].append(time_run(yaml))
    for measure, unit, scale in (("events", "ms/event", 1e3), ("run", "s/run", 1)):
        stock = statistics.median(figures["stock"][measure]) * scale
        pooled = statistics.median(figures["pooled"][measure]) * scale
        print(f"{measure}: stock {stock:.2f} {unit}, pooled {pooled:.2f} {unit}, {stock / pooled:.1f}x (median of {args.rounds})")


if __name__ == "__main__":
    main()
