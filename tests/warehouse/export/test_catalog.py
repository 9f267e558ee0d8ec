"""The export's catalog names every table of the warehouse and describes every column."""

from __future__ import annotations

import re

import duckdb

from tests.conftest import REPO_ROOT
from warehouse.db import apply_schema
from warehouse.export.catalog import load_catalog


def schema_tables() -> dict[str, list[str]]:
    """The tables the warehouse's DDL creates, with their columns in order."""
    with duckdb.connect() as con:
        apply_schema(con)
        con.execute("CREATE TABLE schema_applied (fingerprint VARCHAR, applied_at TIMESTAMP)")  # made by connect_writer
        rows = con.execute(
            "SELECT table_name, list(column_name ORDER BY column_index) FROM duckdb_columns() "
            "WHERE schema_name = 'main' AND table_name IN (SELECT table_name FROM duckdb_tables()) GROUP BY 1"
        ).fetchall()
    return dict(rows)


def test_every_warehouse_table_is_exported_or_left_out_with_a_reason():
    catalog = load_catalog()
    exported = {table.name for table in catalog.tables}
    assert exported.isdisjoint(catalog.not_exported)
    assert exported | set(catalog.not_exported) == set(schema_tables())
    assert all(reason.strip() for reason in catalog.not_exported.values())


def test_every_column_of_an_exported_table_has_a_description():
    tables = schema_tables()
    for table in load_catalog().tables:
        assert set(table.columns) == set(tables[table.name]), table.name
        assert all(text.strip() for text in table.columns.values()), table.name
        assert set(table.order_by) <= set(table.columns), table.name
        assert not table.partitioned or "listing_date" in table.columns, table.name


def test_the_exported_tables_are_the_tables_docs_warehouse_md_documents():
    text = (REPO_ROOT / "docs" / "warehouse.md").read_text()
    documented = set(re.findall(r"^\| `(\w+)` \| one row per", text, flags=re.MULTILINE))
    documented |= set(re.findall(r"^\| `(\w+)` \| table \|", text, flags=re.MULTILINE))
    assert documented == {table.name for table in load_catalog().tables}
