"""Two (or more) trees' dashboard queries alternated on one published warehouse: each round runs
bench/query_timing_child.py once per tree, in a fresh process, the order of the trees flipping
every round; then compares every query's answer between the trees (the first is the reference).

    python -m bench.ab_queries OUT.json ROUNDS WAREHOUSE REPEATS NAME=TREE[@FILE] NAME=TREE[@FILE] [--only Q ...]

A tree is a checkout of the code (e.g. `git archive main | tar -x -C DIR` + compileall). The
warehouse is only read; a tree whose view files differ reads its own copy, FILE (a copy of
WAREHOUSE that the tree's warehouse.db.connect_writer brought up to its views, as its next run
would before publishing). At the lead's load compare the trees' figures within a round (CPU moves
less with the load than wall); the load average is recorded before each run.
"""

from __future__ import annotations

import json
import math
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl

from bench.subprocesses import child_env

CHILD = Path(__file__).with_name("query_timing_child.py")
SCORE_COLUMNS = {"score"}  # summed in another order by another tree: equal to the last bits only


def run_tree(tree: Path, warehouse: Path, repeats: int, answers: Path, only: list[str]) -> dict:
    """One tree's figures (the child's JSON) and the process's CPU seconds."""
    before = os.times()
    done = subprocess.run(
        [sys.executable, str(CHILD), str(warehouse), str(repeats), str(answers), *only],
        env=child_env({"PYTHONPATH": str(tree)}),
        cwd=tree,
        capture_output=True,
        text=True,
        check=True,
    )
    after = os.times()
    cpu = after.children_user + after.children_system - before.children_user - before.children_system
    return {"queries": json.loads(done.stdout), "process_cpu_s": cpu}


def differences(reference: dict, other: dict) -> dict[str, str]:
    """Queries whose answers differ (rows, order, columns or types), with what differs."""
    found = {}
    for name in sorted(set(reference) | set(other)):
        why = _difference(reference.get(name), other.get(name))
        if why:
            found[name] = why
    return found


def _difference(a: object, b: object) -> str | None:
    if type(a) is not type(b):
        return f"{type(a).__name__} != {type(b).__name__}"
    if isinstance(a, pl.DataFrame) and isinstance(b, pl.DataFrame):
        if a.schema != b.schema:
            return f"schema {a.schema} != {b.schema}"
        exact = [c for c in a.columns if c not in SCORE_COLUMNS]
        if not a.select(exact).equals(b.select(exact)):
            return "rows differ"
        for column in set(a.columns) & SCORE_COLUMNS:
            if not all(math.isclose(x, y, rel_tol=1e-12) for x, y in zip(a[column], b[column], strict=True)):
                return f"{column} differs beyond 1e-12"
        return None
    return None if a == b else f"{a!r:.200} != {b!r:.200}"


def tree_argument(text: str) -> tuple[str, Path, Path | None]:
    """NAME=TREE or NAME=TREE@FILE as (name, tree, its own warehouse file or None)."""
    name, rest = text.split("=", 1)
    tree, _, own = rest.partition("@")
    return name, Path(tree), Path(own) if own else None


def main(
    out: Path, rounds: int, warehouse: Path, repeats: int, trees: list[tuple[str, Path, Path | None]], only: list[str]
) -> dict:
    """Run the rounds; write and return {"rounds": [{NAME: {...}}], "differences": {NAME: {...}}}."""
    results: dict = {
        "warehouse": str(warehouse),
        "trees": {name: {"tree": str(tree), "warehouse": str(own or warehouse)} for name, tree, own in trees},
        "repeats": repeats,
        "rounds": [],
        "differences": {},
    }
    with tempfile.TemporaryDirectory(prefix="ab_queries_") as scratch:
        answers = {name: Path(scratch) / f"{name}.pickle" for name, _, _ in trees}
        for round_ in range(rounds):
            record: dict = {}
            for name, tree, own in trees if round_ % 2 == 0 else trees[::-1]:
                load = list(os.getloadavg())
                record[name] = {"load_before": load, **run_tree(tree, own or warehouse, repeats, answers[name], only)}
                print(round_, name, f"CPU {record[name]['process_cpu_s']:.1f} s, load {load[0]:.2f}", flush=True)
            results["rounds"].append(record)
            out.write_text(json.dumps(results, indent=1))
        reference_name = trees[0][0]
        reference = pickle.loads(answers[reference_name].read_bytes())
        for name, _, _ in trees[1:]:
            results["differences"][name] = differences(reference, pickle.loads(answers[name].read_bytes()))
    out.write_text(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    args = sys.argv[1:]
    only_args = args[args.index("--only") + 1 :] if "--only" in args else []
    args = args[: args.index("--only")] if "--only" in args else args
    out_arg, rounds_arg, warehouse_arg, repeats_arg, *tree_args = args
    named = [tree_argument(arg) for arg in tree_args]
    main(Path(out_arg), int(rounds_arg), Path(warehouse_arg), int(repeats_arg), named, only_args)
