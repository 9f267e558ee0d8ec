"""`papers backfill` runs its Dagster runs with the long-lived objects out of the garbage
collector's walks and young collections less often, and leaves the collector as it found it."""

from __future__ import annotations

import gc

import pytest

import orchestration.runs.backfill as backfill_module
from papers_cli.collector import BATCH_THRESHOLDS, batch_collection
from papers_cli.main import main
from pipeline.lander import Lander


@pytest.fixture(autouse=True)
def no_lander(monkeypatch):
    """The command starts no lander process (these tests fake the backfill it would land for)."""

    def cannot_start(*args, **kwargs):
        raise OSError("no lander in these tests")

    monkeypatch.setattr(Lander, "start", cannot_start)


def test_the_runs_see_the_batch_collector_and_the_command_restores_it(papers_home, monkeypatch):
    seen: dict = {}

    def recording_backfill(ranges, instance, **callbacks):
        seen.update(thresholds=gc.get_threshold(), frozen=gc.get_freeze_count())
        return backfill_module.BackfillReport(backfill_id="cli-test")

    monkeypatch.setattr(backfill_module, "backfill", recording_backfill)
    before = gc.get_threshold()
    assert main(["backfill", "--start", "2025-01-01", "--end", "2025-01-02"]) == 0
    assert seen["thresholds"] == BATCH_THRESHOLDS
    assert seen["frozen"] > 10_000  # the imports', the definitions' and the instance's objects
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_the_collector_is_restored_when_the_command_is_interrupted(papers_home, monkeypatch):
    def interrupted(ranges, instance, **callbacks):
        raise KeyboardInterrupt

    monkeypatch.setattr(backfill_module, "backfill", interrupted)
    before = gc.get_threshold()
    assert main(["backfill", "--start", "2025-01-01", "--end", "2025-01-02"]) == 130
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_an_error_inside_leaves_the_collector_as_it_was():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), batch_collection() as freeze:
        assert gc.get_threshold() == BATCH_THRESHOLDS
        freeze()
        assert gc.get_freeze_count() > 0
        raise RuntimeError("a run failed")
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
