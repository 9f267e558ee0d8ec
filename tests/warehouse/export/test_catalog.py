"""The export's catalog names every table of the warehouse and describes every column."""

from __future__ import annotations

import re

import duckdb

from tests.conftest import REPO_ROOT
from warehouse.db import apply_schema
from warehouse.export.catalog import load_catalog


def schema_relations() -> tuple[dict[str, list[str]], set[str]]:
    """The tables and views the warehouse's DDL creates, with their columns in order; and which
    of them are tables."""
    with duckdb.connect() as con:
        apply_schema(con)
        con.execute("CREATE TABLE schema_applied (fingerprint VARCHAR, applied_at TIMESTAMP)")  # made by connect_writer
        rows = con.execute(
            "SELECT table_name, list(column_name ORDER BY column_index) FROM duckdb_columns() "
            "WHERE schema_name = 'main' AND database_name = current_database() GROUP BY 1"
        ).fetchall()
        tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
    return dict(rows), tables


def schema_tables() -> dict[str, list[str]]:
    """The tables the warehouse's DDL creates, with their columns in order."""
    columns, tables = schema_relations()
    return {name: cols for name, cols in columns.items() if name in tables}


def test_every_warehouse_table_is_exported_or_left_out_with_a_reason():
    catalog = load_catalog()
    exported = {table.name for table in catalog.tables}
    columns, tables = schema_relations()
    assert exported.isdisjoint(catalog.not_exported)
    # an exported name may be a view (search_index: scores computed from stored counts)
    assert exported <= set(columns)
    assert (exported | set(catalog.not_exported)) & tables == tables
    assert set(catalog.not_exported) <= tables
    assert all(reason.strip() for reason in catalog.not_exported.values())


def test_every_column_of_an_exported_table_has_a_description():
    tables, _ = schema_relations()
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
