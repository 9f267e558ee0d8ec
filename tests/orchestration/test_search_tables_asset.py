"""The search tables are built whole by their own asset once loads settle; a load run that adds
a few papers to an indexed warehouse indexes them itself before its one publish, and the search
asset then does not publish again."""

from datetime import date

import dagster as dg
import pytest

from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from orchestration.ingest.daily_papers import daily_papers
from orchestration.resources import HFApiResource, WarehouseResource
from orchestration.text_search.search_tables import SEARCH_KEYS, search_tables, search_tables_after_loads
from tests.orchestration.test_daily_papers_asset import published, run_range

START = date(2025, 2, 3)


@pytest.fixture
def instance():
    with dg.DagsterInstance.ephemeral() as ephemeral:
        yield ephemeral


def _resources(home, base_url="http://127.0.0.1:9"):
    return {
        "hf_api": HFApiResource(base_url=base_url, requests_per_second=0),
        "warehouse": WarehouseResource(papers_home=str(home)),
    }


def _defs(home) -> dg.Definitions:
    load_job = dg.define_asset_job("load", selection=dg.AssetSelection.assets(daily_papers))
    return dg.Definitions(
        assets=[daily_papers, search_tables], jobs=[load_job], sensors=[search_tables_after_loads], resources=_resources(home)
    )


def _requested(defs, instance, cursor=None):
    result = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=cursor)
    requested = {key for key in SEARCH_KEYS if result.get_num_requested(key)}
    return requested, result.cursor


def test_a_load_run_publishes_papers_and_the_search_asset_then_indexes_them(tmp_path, instance):
    days_dir, home = tmp_path / "served", tmp_path / "home"
    days = fixture_days(days_dir, 2, START)
    with FakeHFServer(days_dir) as server:
        assert run_range(server, home, days[0], days[-1], instance).success
    papers = published(home, "SELECT count(*) FROM papers")[0][0]
    assert papers > 0
    assert published(home, "SELECT count(*) FROM search_index")[0][0] == 0  # the load run left it

    result = dg.materialize([search_tables], instance=instance, resources=_resources(home))
    assert result.success
    indexed = published(home, "SELECT count(DISTINCT paper_id) FROM search_index")[0][0]
    assert indexed == papers
    assert published(home, "SELECT count(*) FROM similar_papers")[0][0] > 0
    [title] = published(home, "SELECT title FROM papers ORDER BY paper_id LIMIT 1")[0]
    word = max(title.split(), key=len).strip(":,.").lower()
    assert published(home, "SELECT count(*) FROM search_papers(?)", [word])[0][0] >= 1
    counts = {
        event.materialization.asset_key: event.materialization.metadata["dagster/row_count"].value
        for event in result.get_asset_materialization_events()
    }
    assert counts[dg.AssetKey("search_index")] == published(home, "SELECT count(*) FROM search_index")[0][0]


def test_automation_requests_the_rebuild_once_after_papers_load_and_not_again(tmp_path, instance):
    days_dir, home = tmp_path / "served", tmp_path / "home"
    days = fixture_days(days_dir, 2, START)
    defs = _defs(home)
    requested, cursor = _requested(defs, instance)
    assert requested == set()  # nothing loaded yet: nothing to index
    with FakeHFServer(days_dir) as server:
        assert run_range(server, home, days[0], days[-1], instance).success
    requested, cursor = _requested(defs, instance, cursor)
    assert requested == set(SEARCH_KEYS)
    requested, cursor = _requested(defs, instance, cursor)
    assert requested == set()  # handled: no second rebuild for the same load


def test_a_load_that_lands_beside_the_rebuild_gets_a_rebuild_of_its_own(tmp_path, instance):
    # The requested rebuild materializes and another load lands before the sensor's next look (in the
    # UI, a backfill's next run while the rebuild ran): that load must get a rebuild of its own.
    days_dir, home = tmp_path / "served", tmp_path / "home"
    days = fixture_days(days_dir, 2, START)
    defs = _defs(home)
    _, cursor = _requested(defs, instance)
    with FakeHFServer(days_dir) as server:
        assert run_range(server, home, days[0], days[0], instance).success
        requested, cursor = _requested(defs, instance, cursor)
        assert requested == set(SEARCH_KEYS)
        assert dg.materialize([search_tables], instance=instance, resources=_resources(home)).success
        assert run_range(server, home, days[1], days[1], instance).success
    requested, cursor = _requested(defs, instance, cursor)
    assert requested == set(SEARCH_KEYS)
    assert dg.materialize([search_tables], instance=instance, resources=_resources(home)).success
    requested, _ = _requested(defs, instance, cursor)
    assert requested == set()  # that rebuild came after the load: handled


def test_automation_waits_while_a_load_run_is_in_progress(tmp_path, instance):
    days_dir, home = tmp_path / "served", tmp_path / "home"
    days = fixture_days(days_dir, 2, START)
    defs = _defs(home)
    _, cursor = _requested(defs, instance)
    with FakeHFServer(days_dir) as server:
        assert run_range(server, home, days[0], days[0], instance).success
    # a second load run has started (its partitions planned, not yet materialized)
    run = instance.create_run_for_job(
        defs.resolve_job_def("load"), tags={"dagster/partition": days[1].isoformat()}, status=dg.DagsterRunStatus.STARTED
    )
    requested, cursor = _requested(defs, instance, cursor)
    assert requested == set()
    instance.report_run_failed(run)
    requested, _ = _requested(defs, instance, cursor)
    assert requested == set(SEARCH_KEYS)


def test_a_failed_rebuild_leaves_the_published_warehouse_as_it_was(tmp_path, instance, monkeypatch):
    days_dir, home = tmp_path / "served", tmp_path / "home"
    days = fixture_days(days_dir, 1, START)
    with FakeHFServer(days_dir) as server:
        assert run_range(server, home, days[0], days[0], instance).success
    assert dg.materialize([search_tables], instance=instance, resources=_resources(home)).success
    before = published(home, "SELECT * FROM search_index ORDER BY ALL")
    publishes = published(home, "SELECT count(*) FROM publish_log")

    def broken(con, **_):
        con.execute("DELETE FROM search_postings")  # half done, inside the update
        raise RuntimeError("disk full")

    monkeypatch.setattr("orchestration.text_search.search_tables.update_derived_tables", broken)
    result = dg.materialize([search_tables], instance=instance, resources=_resources(home), raise_on_error=False)
    assert not result.success
    assert published(home, "SELECT * FROM search_index ORDER BY ALL") == before
    assert published(home, "SELECT count(*) FROM publish_log") == publishes


def _publishes(home) -> int:
    return published(home, "SELECT count(*) FROM publish_log")[0][0]


def _search_covers_every_paper(home) -> bool:
    sql = "SELECT (SELECT count(DISTINCT paper_id) FROM search_index), (SELECT count(*) FROM papers)"
    [(indexed, papers)] = published(home, sql)
    return indexed == papers


def _indexed_history(tmp_path, instance, days: int):
    """A warehouse loaded and indexed with the first `days` - 1 served days (one more is served)."""
    days_dir, home = tmp_path / "served", tmp_path / "home"
    served = fixture_days(days_dir, days, START)
    with FakeHFServer(days_dir) as server:
        assert run_range(server, home, served[0], served[-2], instance).success
    assert dg.materialize([search_tables], instance=instance, resources=_resources(home)).success
    return days_dir, home, served


def test_a_daily_run_indexes_its_papers_and_publishes_once(tmp_path, instance):
    # 14 days indexed, then the schedule's shape: the newest day new, the two before re-fetched
    days_dir, home, served = _indexed_history(tmp_path, instance, 15)
    publishes = _publishes(home)
    with FakeHFServer(days_dir) as server:
        result = run_range(server, home, served[-3], served[-1], instance)
    assert result.success
    assert _publishes(home) == publishes + 1
    assert published(home, "SELECT count(*) FROM papers WHERE listing_date = ?", [served[-1]])[0][0] > 0
    assert _search_covers_every_paper(home)  # readers see the new day's papers and their search together
    [published_metadata] = [
        e.materialization.metadata
        for e in result.get_asset_materialization_events()
        if e.materialization.asset_key == dg.AssetKey("published_warehouse") and "search_update" in e.materialization.metadata
    ]
    assert published_metadata["search_update"].value == "incremental"

    published_file = (home / "warehouse.duckdb").stat()
    search = dg.materialize([search_tables], instance=instance, resources=_resources(home))
    assert search.success
    assert _publishes(home) == publishes + 1  # nothing changed and readers already see it: no second publish
    assert (home / "warehouse.duckdb").stat().st_ino == published_file.st_ino
    metadata = {e.materialization.asset_key: e.materialization.metadata for e in search.get_asset_materialization_events()}
    assert metadata[dg.AssetKey("search_index")]["update"].value == "unchanged"
    assert metadata[dg.AssetKey("search_index")]["published"].value.startswith("no:")


def test_the_search_asset_publishes_what_a_failed_publish_left_unpublished(tmp_path, instance, monkeypatch):
    days_dir, home, served = _indexed_history(tmp_path, instance, 15)

    def failing_publish(paths, run_id):
        raise OSError("disk full")

    monkeypatch.setattr("orchestration.ingest.daily_papers.publish", failing_publish)
    with FakeHFServer(days_dir) as server:
        assert not run_range(server, home, served[-1], served[-1], instance).success
    assert published(home, "SELECT count(*) FROM papers WHERE listing_date = ?", [served[-1]])[0][0] == 0
    monkeypatch.undo()

    result = dg.materialize([search_tables], instance=instance, resources=_resources(home))
    assert result.success
    # the update found nothing to do (the load run had indexed its papers) but readers lacked them
    assert published(home, "SELECT count(*) FROM papers WHERE listing_date = ?", [served[-1]])[0][0] > 0
    assert _search_covers_every_paper(home)


def test_a_load_run_leaves_a_due_full_build_to_the_search_asset(tmp_path, instance):
    # one indexed day, then a day as large as it: past the share where a full build is cheaper
    days_dir, home, served = _indexed_history(tmp_path, instance, 2)
    publishes = _publishes(home)
    with FakeHFServer(days_dir) as server:
        assert run_range(server, home, served[-1], served[-1], instance).success
    assert not _search_covers_every_paper(home)
    result = dg.materialize([search_tables], instance=instance, resources=_resources(home))
    assert result.success
    assert _publishes(home) == publishes + 2
    assert _search_covers_every_paper(home)
    metadata = {e.materialization.asset_key: e.materialization.metadata for e in result.get_asset_materialization_events()}
    assert metadata[dg.AssetKey("search_index")]["update"].value == "full"
