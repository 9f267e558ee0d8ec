"""What every `papers backfill` pays whatever its range: a one-day backfill as a process (start-up,
one load run, the search run, exit), from the local stand-in HF server, into a fresh home.

    python -m bench.measure_command_cost DAYS_DIR [--rounds 3] [--tree OTHER_CHECKOUT ...] [--out F]

DAYS_DIR holds generated days (`papers bench --work-dir W` keeps them in W/days_1x); the newest
is backfilled. With `--tree`, each round runs the command from every checkout given, alternated
(this one first), for a before/after on the same machine minutes apart. Prints per round the
wall and CPU seconds and the phases outside the steps (bench/run_phases.py).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import date
from pathlib import Path

from bench.json_output import print_result
from bench.machine import describe_machine
from bench.measure_cli_backfill import cli_backfill
from papers_settings import REPO_ROOT


def newest_day(days_dir: Path) -> date:
    """The latest listing day among the generated day files in `days_dir`."""
    days = sorted(date.fromisoformat(p.stem.removeprefix("daily_papers_")) for p in days_dir.glob("daily_papers_*.json"))
    if not days:
        raise SystemExit(f"{days_dir} holds no daily_papers_<date>.json files (papers bench --work-dir W writes W/days_1x)")
    return days[-1]


def measure(days_dir: Path, trees: list[Path], rounds: int) -> list[dict]:
    """`rounds` rounds of a one-day backfill from each of `trees`, alternated."""
    day, runs = newest_day(days_dir), []
    for round_ in range(rounds):
        for tree in trees:
            load = os.getloadavg()[0]
            with tempfile.TemporaryDirectory(prefix="command_cost_") as home:
                run = cli_backfill(days_dir, [day], Path(home), tree=tree)
            phases = run["phases"]
            runs.append(
                {
                    "tree": str(tree),
                    "round": round_,
                    "load_average": round(load, 2),
                    "wall_s": round(run["wall_s"], 2),
                    "cpu_s": round(run["cpu_s"], 2),
                    "start_up_s": round(phases["before_first_run_s"], 2),
                    "exit_s": round(phases["after_last_run_s"], 2),
                    "runs": phases["runs"],
                }
            )
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("days_dir", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tree", type=Path, action="append", default=[], help="another checkout to alternate with")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    runs = measure(args.days_dir, [REPO_ROOT, *args.tree], args.rounds)
    print_result({"machine": describe_machine(), "day": newest_day(args.days_dir), "runs": runs}, args.out)


if __name__ == "__main__":
    main()
