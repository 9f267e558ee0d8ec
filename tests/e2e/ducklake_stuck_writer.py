"""A DuckLake writer that stops in the middle of its load transaction, for the SIGKILL test.

`python -m tests.e2e.ducklake_stuck_writer RAW_DIR DAY...` (with PAPERS_DUCKLAKE_* set) starts the
load of the given days in one transaction, deletes and re-inserts the first chunk's rows (its
Parquet files are written under the data path), prints `IN TRANSACTION` and waits to be killed.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from papers_settings import Settings
from pipeline.load_days import batches_for_days
from warehouse.backend import open_writer
from warehouse.load import replace_partitions_in_chunks


def main() -> None:
    raw_dir, days = Path(sys.argv[1]), [date.fromisoformat(d) for d in sys.argv[2:]]
    con = open_writer(Settings.from_env().warehouse)

    def chunks():
        yield batches_for_days(raw_dir, days)
        print("IN TRANSACTION", flush=True)
        time.sleep(600)  # the test kills us here, before COMMIT
        yield []

    replace_partitions_in_chunks(con, chunks())


if __name__ == "__main__":
    main()
