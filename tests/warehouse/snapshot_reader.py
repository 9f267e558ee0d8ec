"""A reader of the published warehouse in its own process, as a dashboard holds it open.

`python -m tests.warehouse.snapshot_reader PATH` opens PATH read-only once, then answers every
line on stdin with one JSON line: the papers' count and a digest of all their ids and titles, read
through that same connection (or the error it got). It exits when stdin closes.
"""

from __future__ import annotations

import json
import sys

import duckdb

LOOK = "SELECT count(*), md5(coalesce(string_agg(paper_id || title, ',' ORDER BY paper_id), '')) FROM papers"


def main(path: str) -> None:
    con = duckdb.connect(path, read_only=True)
    print(json.dumps("open"), flush=True)
    for _ in sys.stdin:
        try:
            print(json.dumps(list(con.execute(LOOK).fetchall()[0])), flush=True)
        except Exception as error:  # noqa: BLE001 - the error is the answer
            print(json.dumps(f"{type(error).__name__}: {error}"), flush=True)
    con.close()


if __name__ == "__main__":
    main(sys.argv[1])
