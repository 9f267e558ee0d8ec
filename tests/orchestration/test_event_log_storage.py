"""The shipped dagster.yaml's event log (connections kept open) records and reads back like the
stock one, and writes the same files, so an instance can switch between them."""

import shutil

import dagster as dg
import pytest

from orchestration.event_log_storage import OPEN_ENGINES, PooledSqliteEventLogStorage
from orchestration.runs.instance import SHIPPED_DAGSTER_YAML

days = dg.DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-21")


@dg.asset(partitions_def=days, backfill_policy=dg.BackfillPolicy.single_run())
def daily_thing(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"keys": len(context.partition_keys)})


@pytest.fixture
def dagster_home(tmp_path, monkeypatch):
    home = tmp_path / "dagster"
    home.mkdir()
    shutil.copyfile(SHIPPED_DAGSTER_YAML, home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return home


def _materialize(instance, first: str, last: str) -> None:
    result = dg.materialize(
        [daily_thing],
        instance=instance,
        tags={"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last},
    )
    assert result.success


def test_the_shipped_instance_uses_it_and_records_every_partition(dagster_home):
    with dg.DagsterInstance.get() as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        _materialize(instance, "2025-01-01", "2025-01-10")
        _materialize(instance, "2025-01-05", "2025-01-20")
        materialized = instance.get_materialized_partitions(dg.AssetKey("daily_thing"))
        assert materialized == {f"2025-01-{d:02d}" for d in range(1, 21)}
    # the stock storage reads what it wrote, from the same files
    with dg.DagsterInstance.from_config(str(dagster_home), config_filename="missing.yaml") as stock:
        assert type(stock.event_log_storage).__name__ == "SqliteEventLogStorage"
        assert len(stock.get_materialized_partitions(dg.AssetKey("daily_thing"))) == 20
    assert (dagster_home / "history" / "runs" / "index.db").exists()


def test_old_runs_connections_are_closed_and_reopened_when_needed(dagster_home):
    with dg.DagsterInstance.get() as instance:
        run_ids = []
        for day in range(1, OPEN_ENGINES + 3):
            key = f"2025-01-{day:02d}"
            run_ids.append(dg.materialize([daily_thing], instance=instance, partition_key=key).run_id)
        storage = instance.event_log_storage
        assert len(storage._engines) <= OPEN_ENGINES
        assert run_ids[0] not in storage._engines
        # the first run's events are still readable: its file is reopened
        assert any(e.is_dagster_event for e in instance.all_logs(run_ids[0]))


def test_wipe_closes_every_connection_first(dagster_home):
    with dg.DagsterInstance.get() as instance:
        _materialize(instance, "2025-01-01", "2025-01-03")
        instance.event_log_storage.wipe()
        assert set(instance.event_log_storage._engines) <= {"index"}  # wipe itself clears the index
        assert instance.get_materialized_partitions(dg.AssetKey("daily_thing")) == set()


def test_a_table_once_found_is_not_looked_up_again_and_a_missing_one_is(dagster_home, monkeypatch):
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

    looked_up: list[str] = []
    stock = SqliteEventLogStorage.has_table

    def counting(self, name):
        looked_up.append(name)
        return stock(self, name)

    monkeypatch.setattr(SqliteEventLogStorage, "has_table", counting)
    with dg.DagsterInstance.get() as instance:
        storage = instance.event_log_storage
        assert storage.has_table("asset_event_tags") and storage.has_table("asset_event_tags")
        assert not storage.has_table("no_such_table") and not storage.has_table("no_such_table")
        _materialize(instance, "2025-01-01", "2025-01-10")  # ten asset events: no more lookups
    assert looked_up == ["asset_event_tags", "no_such_table", "no_such_table"]


def _asset_index(instance, key: dg.AssetKey) -> dict:
    """What the UI reads about an asset: its index row, partitions, and planned/stored events."""
    record = instance.get_asset_records([key])[0].asset_entry
    planned = [
        record.event_log_entry.dagster_event.event_specific_data.partition
        for run in instance.get_run_records()
        for record in instance.get_records_for_run(
            run.dagster_run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED, limit=1000
        ).records
    ]
    return {
        "last_run_id": record.last_run_id,
        "last_partition": record.last_materialization.dagster_event.partition,
        "last_metadata": record.last_materialization.asset_materialization.metadata,
        "partitions": instance.get_materialized_partitions(key),
        "materializations": len(instance.fetch_materializations(key, limit=1000).records),
        "planned": sorted(planned),
    }


@pytest.mark.parametrize("batch_size", ["0", "1000"])
def test_a_batch_of_events_leaves_the_index_as_one_by_one_writing_does(dagster_home, monkeypatch, batch_size):
    # Two ranged runs, the second overlapping the first: every partition is planned and
    # materialized; the asset's row must name the second run and its last partition.
    monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", batch_size)
    with dg.DagsterInstance.get() as instance:
        stored = []
        storage = instance.event_log_storage
        monkeypatch.setattr(storage, "store_event_batch", _recording(storage.store_event_batch, stored))
        _materialize(instance, "2025-01-01", "2025-01-10")
        _materialize(instance, "2025-01-05", "2025-01-20")
        second_run = instance.get_run_records(limit=1)[0].dagster_run.run_id
        index = _asset_index(instance, dg.AssetKey("daily_thing"))
    assert bool(stored) == (batch_size != "0")  # the batched path is the one taken
    assert index["last_run_id"] == second_run
    assert index["last_partition"] == "2025-01-20"
    assert index["last_metadata"]["keys"] == dg.IntMetadataValue(16)
    assert index["partitions"] == {f"2025-01-{d:02d}" for d in range(1, 21)}
    assert index["materializations"] == 10 + 16
    assert index["planned"] == sorted([f"2025-01-{d:02d}" for d in range(1, 11)] + [f"2025-01-{d:02d}" for d in range(5, 21)])


def _recording(store_event_batch, stored: list):
    def record(events):
        stored.append(len(events))
        return store_event_batch(events)

    return record


def _planned_check(partitions_subset) -> dg.EventLogEntry:
    from dagster._core.events import AssetCheckEvaluationPlanned, DagsterEvent

    event = DagsterEvent(
        event_type_value=dg.DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED.value,
        job_name="job",
        event_specific_data=AssetCheckEvaluationPlanned(
            asset_key=dg.AssetKey("daily_thing"), check_name="rows", partitions_subset=partitions_subset
        ),
        step_key="step",
    )
    return dg.EventLogEntry(error_info=None, level=10, user_message="", run_id="run-1", timestamp=1.7e9, dagster_event=event)


@pytest.mark.parametrize("partitions", [None, ["2025-01-03", "2025-01-04", "2025-01-05"]], ids=["unpartitioned", "three days"])
def test_a_planned_check_is_stored_as_the_stock_storage_stores_it(tmp_path, partitions):
    from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

    subset = days.empty_subset().with_partition_keys(partitions).to_serializable_subset() if partitions else None
    event = _planned_check(subset)
    stock = _check_rows(
        tmp_path / "stock", lambda storage: SqliteEventLogStorage._store_asset_check_evaluation_planned(storage, event, 7)
    )
    ours = _check_rows(tmp_path / "ours", lambda storage: storage._store_asset_check_evaluation_planned(event, 7))
    assert ours == stock
    assert [row["partition"] for row in ours] == (partitions or [None])


def _check_rows(base_dir, store) -> list[dict]:
    from dagster._core.storage.event_log.schema import AssetCheckExecutionsTable

    storage = PooledSqliteEventLogStorage(base_dir=str(base_dir))
    try:
        store(storage)
        with storage.index_connection() as conn:
            rows = conn.execute(AssetCheckExecutionsTable.select().order_by("id")).mappings()
            # create_timestamp is the database's clock at the insert, not something stored
            return [{k: v for k, v in row.items() if k != "create_timestamp"} for row in rows]
    finally:
        storage.dispose()
