"""What `papers backfill` says when a step fails: the error that caused it, not Dagster's wrapper."""

from __future__ import annotations

import dagster as dg

from orchestration.runs.backfill import _failure_summary


@dg.asset
def breaks() -> None:
    try:
        raise OSError("the disk is full")
    except OSError as error:
        raise RuntimeError("could not write the day") from error


def test_the_summary_names_the_asset_s_error_and_its_root_cause():
    result = dg.materialize([breaks], raise_on_error=False)
    assert not result.success
    summary = _failure_summary(result)
    assert summary.startswith("step breaks failed: RuntimeError: could not write the day (caused by OSError: the disk is full)")
    assert "Error occurred while executing op" not in summary
    assert summary.endswith(f"(run {result.run_id})")
