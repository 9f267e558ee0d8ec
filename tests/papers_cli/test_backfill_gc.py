"""`papers backfill` freezes what its start-up made out of the garbage collector before the
runs, so the runs' full collections do not walk Dagster's definitions and instance again."""

from __future__ import annotations

import gc
from datetime import date

from orchestration.runs import backfill as backfill_module
from papers_cli.main import main


def test_the_runs_start_with_the_start_ups_objects_frozen(papers_home, monkeypatch):
    frozen_at_start: list[int] = []

    def recording_backfill(ranges, instance, **callbacks):
        frozen_at_start.append(gc.get_freeze_count())
        return backfill_module.BackfillReport(backfill_id="cli-test", loaded=[date(2025, 1, 1)])

    monkeypatch.setattr(backfill_module, "backfill", recording_backfill)
    gc.unfreeze()
    try:
        assert main(["backfill", "--start", "2025-01-01", "--end", "2025-01-01"]) == 0
    finally:
        gc.unfreeze()  # this test process goes on
    assert frozen_at_start and frozen_at_start[0] > 0
