"""weekly_digest: requested by its automation sensor for the weeks whose days were published, and
writing that week's digest and the feed under $PAPERS_HOME/digests/."""

from datetime import date

import dagster as dg
import pytest

from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from orchestration.digests.weekly_digest import weekly_digest, weekly_digest_after_loads, weekly_partitions
from orchestration.ingest.daily_papers import daily_papers
from orchestration.resources import HFApiResource, WarehouseResource
from tests.orchestration.test_daily_papers_asset import run_range

START = date(2025, 2, 3)  # a Monday
DIGEST = weekly_digest.key


@pytest.fixture
def instance():
    with dg.DagsterInstance.ephemeral() as ephemeral:
        yield ephemeral


def _defs(home) -> dg.Definitions:
    load_job = dg.define_asset_job("load", selection=dg.AssetSelection.assets(daily_papers))
    return dg.Definitions(
        assets=[daily_papers, weekly_digest],
        jobs=[load_job],
        sensors=[weekly_digest_after_loads],
        resources={
            "hf_api": HFApiResource(base_url="http://127.0.0.1:9", requests_per_second=0),
            "warehouse": WarehouseResource(papers_home=str(home)),
        },
    )


def _requested(defs, instance, cursor=None) -> tuple[set[str], object]:
    result = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=cursor)
    keys: set[str] = set()
    for asset_result in result.results:
        if asset_result.key == DIGEST:
            keys |= set(asset_result.true_subset.expensively_compute_partition_keys())
    return keys, result.cursor


def test_weeks_start_on_the_monday_of_the_first_listing_day():
    assert weekly_partitions.get_first_partition_key() == "2023-05-01"  # 2023-05-04 is a Thursday
    assert weekly_partitions.time_window_for_partition_key("2023-05-01").end.date() == date(2023, 5, 8)


def test_the_sensor_runs_by_default_and_targets_the_digest():
    from orchestration.definitions import defs

    sensor = defs.resolve_sensor_def("weekly_digest_after_loads")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert defs.resolve_assets_def("weekly_digest").automation_conditions_by_key[weekly_digest.key] is not None


def test_a_loaded_week_is_requested_once_and_other_weeks_never(tmp_path, instance):
    days_dir, home = tmp_path / "served", tmp_path / "home"
    days = fixture_days(days_dir, 2, START)
    defs = _defs(home)
    requested, cursor = _requested(defs, instance)
    assert requested == set()  # nothing loaded: no digest of ~150 empty weeks
    with FakeHFServer(days_dir) as server:
        assert run_range(server, home, days[0], days[-1], instance).success
    requested, cursor = _requested(defs, instance, cursor)
    assert requested == {START.isoformat()}
    requested, cursor = _requested(defs, instance, cursor)
    assert requested == set()  # handled: not again until its days load again


def test_the_digest_waits_while_a_day_of_its_week_is_loading(tmp_path, instance):
    days_dir, home = tmp_path / "served", tmp_path / "home"
    days = fixture_days(days_dir, 2, START)
    defs = _defs(home)
    _, cursor = _requested(defs, instance)
    with FakeHFServer(days_dir) as server:
        assert run_range(server, home, days[0], days[0], instance).success
    run = instance.create_run_for_job(
        defs.resolve_job_def("load"), tags={"dagster/partition": days[1].isoformat()}, status=dg.DagsterRunStatus.STARTED
    )
    requested, cursor = _requested(defs, instance, cursor)
    assert requested == set()
    instance.report_run_failed(run)
    requested, _ = _requested(defs, instance, cursor)
    assert requested == {START.isoformat()}


def test_materializing_a_week_writes_its_digest_and_the_feed(tmp_path, instance):
    days_dir, home = tmp_path / "served", tmp_path / "home"
    days = fixture_days(days_dir, 2, START)
    with FakeHFServer(days_dir) as server:
        assert run_range(server, home, days[0], days[-1], instance).success
    result = dg.materialize(
        [weekly_digest], partition_key=START.isoformat(), resources={"warehouse": WarehouseResource(papers_home=str(home))}
    )
    assert result.success
    folder = home / "digests"
    assert sorted(p.name for p in folder.iterdir()) == ["2025-02-03.html", "2025-02-03.md", "feed.xml"]
    [materialization] = result.asset_materializations_for_node("weekly_digest")
    papers = materialization.metadata["papers"].value
    assert papers > 0
    assert f"**{papers} papers" in (folder / "2025-02-03.md").read_text()


def test_weeks_loaded_before_the_sensor_first_looks_are_requested_once(tmp_path, instance):
    # `papers up` loads the sample before `dagster dev` starts the sensor: no update is seen then
    days_dir, home = tmp_path / "served", tmp_path / "home"
    days = fixture_days(days_dir, 2, START)
    defs = _defs(home)
    with FakeHFServer(days_dir) as server:
        assert run_range(server, home, days[0], days[-1], instance).success
    requested, cursor = _requested(defs, instance)
    assert requested == {START.isoformat()}
    requested, _ = _requested(defs, instance, cursor)
    assert requested == set()


def test_a_day_that_lands_beside_the_requested_digest_gets_a_digest_of_its_own(tmp_path, instance):
    # A day of the week loads after the sensor requested the week's digest and before its next
    # look (in the UI, a backfill's next run while the digest ran): the digest may have read the
    # warehouse before that day, so the week is requested again.
    days_dir, home = tmp_path / "served", tmp_path / "home"
    days = fixture_days(days_dir, 2, START)
    defs = _defs(home)
    _, cursor = _requested(defs, instance)
    with FakeHFServer(days_dir) as server:
        assert run_range(server, home, days[0], days[0], instance).success
        requested, cursor = _requested(defs, instance, cursor)
        assert requested == {START.isoformat()}
        assert dg.materialize(
            [weekly_digest], partition_key=START.isoformat(), instance=instance, resources=defs.resources
        ).success
        assert run_range(server, home, days[1], days[1], instance).success
    requested, cursor = _requested(defs, instance, cursor)
    assert requested == {START.isoformat()}
    requested, _ = _requested(defs, instance, cursor)
    assert requested == set()  # handled by that request
