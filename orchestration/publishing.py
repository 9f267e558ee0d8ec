"""One way to publish the working warehouse, shared by every asset that changes it."""

from __future__ import annotations

from orchestration.resources import WarehouseResource
from warehouse.db import connect_writer
from warehouse.publish import PublishResult, checkpoint_and_log, publish_copy


def publish_working_warehouse(warehouse: WarehouseResource, run_id: str) -> PublishResult:
    """Checkpoint, close, then copy and swap the published snapshot."""
    con = connect_writer(warehouse.working_path)
    try:
        published_at = checkpoint_and_log(con, run_id)
    finally:
        con.close()
    return publish_copy(warehouse.working_path, warehouse.published_path, published_at)
