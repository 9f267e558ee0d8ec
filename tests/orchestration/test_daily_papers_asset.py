"""The ingest step in-process against a real local HTTP server: quarantine, partial failure, reruns."""

from __future__ import annotations

import json
from datetime import date

import dagster as dg
import duckdb
import pytest

from hf_api.limits import FetchLimits
from hf_api.sample_replay import day_file
from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from landing.raw_store import last_failure, list_fetches
from orchestration.ingest.daily_papers import daily_papers
from orchestration.resources import HFApiResource, WarehouseResource

START = date(2025, 2, 3)


def run_range(
    server, home, first: date, last: date, instance, tags=None, limits: FetchLimits | None = None
) -> dg.ExecuteInProcessResult:
    limits = limits or FetchLimits()
    return dg.materialize(
        [daily_papers],
        instance=instance,
        resources={
            "hf_api": HFApiResource(
                base_url=server.base_url,
                max_attempts=2,
                backoff_max_s=0.05,
                requests_per_second=0,
                request_deadline_s=limits.request_deadline_s,
                max_body_bytes=limits.max_body_bytes,
                max_pages_per_day=limits.max_pages,
                max_retry_wait_per_day_s=limits.max_retry_wait_s,
            ),
            "warehouse": WarehouseResource(papers_home=str(home)),
        },
        tags={
            "dagster/asset_partition_range_start": first.isoformat(),
            "dagster/asset_partition_range_end": last.isoformat(),
            **(tags or {}),
        },
        raise_on_error=False,
    )


def published(home, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture
def instance():
    with dg.DagsterInstance.ephemeral() as ephemeral:
        yield ephemeral


def test_a_malformed_record_is_quarantined_while_the_rest_of_the_day_loads(tmp_path, instance):
    days_dir = tmp_path / "served"
    [day] = fixture_days(days_dir, 1, START)
    items = json.loads(day_file(days_dir, day).read_text())
    items[3]["paper"]["upvotes"] = "many"  # wrong type: must be quarantined, not loaded
    del items[5]["paper"]["id"]  # no paper id at all
    day_file(days_dir, day).write_text(json.dumps(items))
    home = tmp_path / "home"
    with FakeHFServer(days_dir) as server:
        result = run_range(server, home, day, day, instance)
    assert result.success
    assert published(home, "SELECT count(*) FROM papers")[0][0] == len(items) - 2
    reasons = published(home, "SELECT record_index, reason FROM quarantined_records ORDER BY 1")
    assert [index for index, _ in reasons] == [3, 5]
    assert "upvotes" in reasons[0][1] and "id" in reasons[1][1]
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks["raw_records_accounted_for"] and checks["unique_paper_ids"]


def test_a_day_that_cannot_be_fetched_fails_alone_and_the_others_load(tmp_path, instance):
    days_dir = tmp_path / "served"
    days = fixture_days(days_dir, 4, START)
    bad = days[1]
    home = tmp_path / "home"
    with FakeHFServer(days_dir, faults={str(bad): "always:503"}) as server:
        result = run_range(server, home, days[0], days[-1], instance)
    assert not result.success
    materialized = instance.get_materialized_partitions(dg.AssetKey("papers"))
    assert materialized == {str(d) for d in days if d != bad}
    assert instance.get_materialized_partitions(dg.AssetKey("published_warehouse")) == materialized
    loaded = {row[0] for row in published(home, "SELECT DISTINCT listing_date FROM papers")}
    assert loaded == set(days) - {bad}
    failure = last_failure(home / "raw" / "daily_papers", bad)
    assert failure["listing_date"] == str(bad)
    assert failure["message"].startswith("gave up after 2 attempts") and "503" in failure["message"]
    assert list_fetches(home / "raw" / "daily_papers", bad) == []
    # The step's failure lists each day once, beside its reason (the reason does not repeat it).
    [step_failure] = [e for e in result.all_events if e.is_step_failure]
    listed = step_failure.step_failure_data.error.message
    assert f"- {bad}: gave up after 2 attempts" in listed and f"{bad}: {bad}" not in listed


def test_a_failed_refetch_keeps_the_day_already_loaded(tmp_path, instance):
    days_dir = tmp_path / "served"
    [day] = fixture_days(days_dir, 1, START)
    home = tmp_path / "home"
    with FakeHFServer(days_dir) as server:
        assert run_range(server, home, day, day, instance).success
        before = published(home, "SELECT * FROM papers ORDER BY ALL")
        server.reset_faults({str(day): "always:html"})
        assert not run_range(server, home, day, day, instance).success
    assert published(home, "SELECT * FROM papers ORDER BY ALL") == before
    assert len(list_fetches(home / "raw" / "daily_papers", day)) == 1


def test_an_empty_answer_keeps_the_rows_of_a_day_that_had_them(tmp_path, instance):
    days_dir = tmp_path / "served"
    [day] = fixture_days(days_dir, 1, START)
    home = tmp_path / "home"
    with FakeHFServer(days_dir) as server:
        assert run_range(server, home, day, day, instance).success
        before = published(home, "SELECT count(*) FROM papers")[0][0]
        day_file(days_dir, day).write_text("[]")
        result = run_range(server, home, day, day, instance)
    assert result.success
    assert published(home, "SELECT count(*) FROM papers")[0][0] == before > 0
    papers_event = result.asset_materializations_for_node("daily_papers")
    kept = [m.metadata["kept_existing_rows_for"].value for m in papers_event if m.asset_key == dg.AssetKey("papers")]
    assert kept == [[day.isoformat()]]


def test_rerunning_a_range_adds_one_vote_observation_per_paper_and_nothing_else(tmp_path, instance):
    days_dir = tmp_path / "served"
    days = fixture_days(days_dir, 2, START)
    home = tmp_path / "home"
    with FakeHFServer(days_dir) as server:
        assert run_range(server, home, days[0], days[-1], instance).success
        papers = published(home, "SELECT count(*) FROM papers")[0][0]
        assert run_range(server, home, days[0], days[-1], instance).success
    assert published(home, "SELECT count(*) FROM papers")[0][0] == papers
    assert published(home, "SELECT count(*), count(DISTINCT paper_id) FROM votes")[0] == (2 * papers, papers)
    assert published(home, "SELECT max(fetch_count) FROM partition_loads")[0][0] == 2


def test_each_day_of_a_ranged_run_carries_its_own_counts_and_the_run_wide_figures_come_once(tmp_path, instance):
    days = fixture_days(tmp_path / "served", 3, START)
    home = tmp_path / "home"
    with FakeHFServer(tmp_path / "served") as server:
        result = run_range(server, home, days[0], days[-1], instance)
    assert result.success
    events = {(m.asset_key.path[-1], m.partition): m.metadata for m in result.asset_materializations_for_node("daily_papers")}
    for day in days:
        papers = events[("papers", day.isoformat())]
        [(count,)] = published(home, "SELECT count(*) FROM papers WHERE listing_date = ?", [day])
        [(authors,)] = published(home, "SELECT count(*) FROM paper_authors WHERE listing_date = ?", [day])
        assert papers["dagster/row_count"].value == papers["papers_loaded"].value == count > 0
        assert events[("paper_authors", day.isoformat())]["dagster/row_count"].value == authors
        # The preview names the day's most upvoted papers and no other day's.
        top = published(home, "SELECT paper_id FROM papers WHERE listing_date = ? ORDER BY upvotes DESC, paper_id LIMIT 3", [day])
        shown = papers["preview"].value
        assert all(paper_id in shown for (paper_id,) in top) and shown.count("\n") == 1 + len(top)
        on_last_day = day == days[-1]
        assert ("table_rows" in papers) is ("papers_loaded_by_day" in papers) is on_last_day
        assert ("path" in events[("published_warehouse", day.isoformat())]) is on_last_day
    last = events[("papers", days[-1].isoformat())]
    assert last["table_rows"].value == published(home, "SELECT count(*) FROM papers")[0][0]
    assert sorted(last["papers_loaded_by_day"].value) == [day.isoformat() for day in days]


def test_the_writer_is_opened_while_the_first_day_is_still_being_fetched(tmp_path, instance, monkeypatch):
    from orchestration.ingest import daily_papers as step

    days = fixture_days(tmp_path / "served", 2, START)
    home = tmp_path / "home"
    landed_at_open = []
    real = step.open_writer

    def recording(paths):
        landed_at_open.append(len(list_fetches(home / "raw" / "daily_papers", days[0])))
        return real(paths)

    monkeypatch.setattr(step, "open_writer", recording)
    # The first day's answer pauses 2 s halfway: the open must not wait for it.
    with FakeHFServer(tmp_path / "served", faults={str(days[0]): ["slow:2", "ok"]}) as server:
        assert run_range(server, home, days[0], days[-1], instance).success
    assert landed_at_open == [0]
    assert published(home, "SELECT count(DISTINCT listing_date) FROM papers") == [(2,)]


def test_when_no_day_can_be_fetched_the_writer_is_closed_and_the_warehouse_kept(tmp_path, instance):
    days = fixture_days(tmp_path / "served", 2, START)
    home = tmp_path / "home"
    with FakeHFServer(tmp_path / "served") as server:
        assert run_range(server, home, days[0], days[0], instance).success
        before = published(home, "SELECT * FROM papers ORDER BY ALL")
        server.reset_faults({str(day): "always:503" for day in days})
        result = run_range(server, home, days[0], days[-1], instance)
    assert not result.success
    [step_failure] = [e for e in result.all_events if e.is_step_failure]
    assert all(str(day) in step_failure.step_failure_data.error.message for day in days)
    assert published(home, "SELECT * FROM papers ORDER BY ALL") == before
    # The run closed its writer: the working file opens for writing again in this process.
    duckdb.connect(str(home / "work" / "warehouse.duckdb")).close()
