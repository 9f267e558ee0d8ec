"""Two checkouts' `papers backfill` alternated on the same generated days, DuckDB's floor first in
each round (bench.measure_cli_backfill.cli_backfill per tree; the order of the trees flips every
round). CPU of the process is the figure to compare on a loaded machine.

    python -m bench.ab_cli_backfill OUT.json ROUNDS DAYS_DIR WORK_DIR NAME=TREE NAME=TREE

A tree is a checkout of the code (e.g. `git archive COMMIT | tar -x -C DIR`); the days are the
`days_1x` folder a `papers bench` work dir holds.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from datetime import date
from pathlib import Path

from bench.measure_cli_backfill import cli_backfill
from bench.measure_load import floor_load

KEPT = ("wall_s", "cpu_s", "runs", "in_runs_s", "step_seconds", "outside_runs_s", "peak_rss_mb", "published_papers")


def main(out: Path, rounds: int, days_dir: Path, work: Path, trees: list[tuple[str, Path]]) -> dict:
    """Run the rounds; write and return {"days", "rounds": [{floor_s, load_before, NAME: {...}}]}."""
    days = sorted(date.fromisoformat(p.stem.rsplit("_", 1)[1]) for p in days_dir.glob("daily_papers_*.json"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict = {"days": len(days), "rounds": []}
    for round_ in range(rounds):
        record: dict = {"load_before": os.getloadavg()}
        floor_path = work / f"floor_{round_}.duckdb"
        floor_path.unlink(missing_ok=True)
        record["floor_s"] = floor_load(days_dir, floor_path)["seconds"]
        for name, tree in trees if round_ % 2 == 0 else trees[::-1]:
            home = work / f"{name}_{round_}"
            shutil.rmtree(home, ignore_errors=True)
            run = cli_backfill(days_dir, days, home, tree)
            record[name] = {key: run[key] for key in KEPT} | {
                "ratio": run["wall_s"] / record["floor_s"],
                "load_after": os.getloadavg(),
            }
            print(
                round_, name, f"wall {run['wall_s']:.2f} s, CPU {run['cpu_s']:.2f} s, floor {record['floor_s']:.2f} s", flush=True
            )
            shutil.rmtree(home, ignore_errors=True)
        results["rounds"].append(record)
        out.write_text(json.dumps(results, indent=1, default=str))
    return results


if __name__ == "__main__":
    out_arg, rounds_arg, days_arg, work_arg, *tree_args = sys.argv[1:]
    named = [(name, Path(path)) for name, path in (arg.split("=", 1) for arg in tree_args)]
    main(Path(out_arg), int(rounds_arg), Path(days_arg), Path(work_arg), named)
