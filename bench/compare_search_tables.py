"""Whether two trees' full search builds give the same search tables: build each on a copy of
the same warehouse, then compare the copies table by table.

    python -m bench.compare_search_tables build WAREHOUSE OUT    # rebuild_derived_tables on a copy
    python -m bench.compare_search_tables compare A B            # exit 1 on any difference

Run `build` once per tree (`PYTHONPATH` on the tree, the same venv), then `compare`. Every column
of search_postings, search_documents, search_terms and search_stats must be equal, and the
postings stored in term order in both; similar_papers and similar_postings must hold the same
pairs, ranks and terms, their scores and weights equal to 1e-12 (sums of floats that DuckDB and
Polars add in the order their threads meet them); search_papers() must give the same papers in the
same order for a few queries.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
from pathlib import Path

import duckdb

EXACT = {
    "search_postings": "SELECT term, paper_id, paper_key, tf, length FROM search_postings ORDER BY ALL",
    "search_documents": "SELECT paper_id, paper_key, length, text_hash FROM search_documents ORDER BY ALL",
    "search_terms": "SELECT term, df FROM search_terms ORDER BY ALL",
    "search_stats": "SELECT * FROM search_stats",
    "search_dead_keys": "SELECT * FROM search_dead_keys ORDER BY ALL",
}
# (keys, the float compared to 1e-12)
APPROX = {
    "similar_papers": "SELECT paper_id, rank, similar_paper_id, score FROM similar_papers ORDER BY paper_id, rank",
    "similar_postings": "SELECT paper_id, term, weight FROM similar_postings ORDER BY paper_id, term",
}
QUERIES = ["language model", "diffusion image generation", "reinforcement learning agents", "graph", "zzzz"]
IN_TERM_ORDER = "SELECT count(*) FROM (SELECT term < lag(term) OVER (ORDER BY rowid) AS back FROM search_postings) WHERE back"


def build(source: Path, out: Path) -> dict[str, int]:
    """Copy `source` to `out` and run the full search build of this tree on the copy."""
    from warehouse import derived
    from warehouse.db import connect_writer

    shutil.copyfile(source, out)
    con = connect_writer(out)
    try:
        return derived.rebuild_derived_tables(con)
    finally:
        con.close()


def differences(a: Path, b: Path) -> list[str]:
    """What differs between the search tables of the warehouse files `a` and `b` (empty: none)."""
    found: list[str] = []
    cons = [duckdb.connect(str(path), read_only=True) for path in (a, b)]
    try:
        for con, path in zip(cons, (a, b), strict=True):
            if con.execute(IN_TERM_ORDER).fetchall()[0][0]:
                found.append(f"{path}: search_postings not stored in term order")
        for table, sql in EXACT.items():
            rows_a, rows_b = (con.execute(sql).fetchall() for con in cons)
            if rows_a != rows_b:
                found.append(f"{table}: {len(rows_a)} rows vs {len(rows_b)}, {_first_difference(rows_a, rows_b)}")
        for table, sql in APPROX.items():
            rows_a, rows_b = (con.execute(sql).fetchall() for con in cons)
            keys_a, keys_b = ([row[:-1] for row in rows] for rows in (rows_a, rows_b))
            if keys_a != keys_b:
                found.append(f"{table}: {len(rows_a)} rows vs {len(rows_b)}, {_first_difference(keys_a, keys_b)}")
            elif far := [(x, y) for x, y in zip(rows_a, rows_b, strict=True) if not math.isclose(x[-1], y[-1], rel_tol=1e-12)]:
                found.append(f"{table}: {len(far)} values differ beyond 1e-12, first {far[0]}")
        for query in QUERIES:
            results = [con.execute("SELECT paper_id FROM search_papers(?)", [query]).fetchall() for con in cons]
            if results[0] != results[1]:
                found.append(f"search_papers({query!r}): {len(results[0])} papers vs {len(results[1])}")
    finally:
        for con in cons:
            con.close()
    return found


def _first_difference(rows_a: list, rows_b: list) -> str:
    for row_a, row_b in zip(rows_a, rows_b, strict=False):
        if row_a != row_b:
            return f"first difference {row_a} vs {row_b}"
    return "one is a prefix of the other"


def main(argv: list[str] | None = None) -> int:
    """Command line: `build WAREHOUSE OUT` or `compare A B`."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build_parser = commands.add_parser("build", help="full search build on a copy")
    build_parser.add_argument("warehouse", type=Path)
    build_parser.add_argument("out", type=Path)
    compare_parser = commands.add_parser("compare", help="compare two built copies")
    compare_parser.add_argument("a", type=Path)
    compare_parser.add_argument("b", type=Path)
    args = parser.parse_args(argv)
    if args.command == "build":
        print(build(args.warehouse, args.out))
        return 0
    for path in (args.a, args.b):
        if not path.is_file():
            parser.error(f"no warehouse file at {path}")
    found = differences(args.a, args.b)
    for line in found:
        print(line, file=sys.stderr)
    print("same search tables" if not found else f"{len(found)} differences")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
