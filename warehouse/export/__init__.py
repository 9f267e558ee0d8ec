"""`papers export`: every public table of the published warehouse as Parquet, with a data card.

`catalog.toml` says which tables and what they hold; `parquet.py` writes a table; `card.py`
writes README.md and schema.json; `target.py` owns the staging folder and the atomic swap;
`run.py` ties them together in one read-only transaction. No Dagster here.
"""

from warehouse.export.run import ExportResult, ExportVerifyError, export_warehouse
from warehouse.export.target import ExportTargetError

__all__ = ["ExportResult", "ExportTargetError", "ExportVerifyError", "export_warehouse"]
