"""An export of a generated 14-month warehouse reads back, with Polars, pyarrow and DuckDB, into the
warehouse's rows: the same counts per table and per month, and the same values."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from tests.warehouse.export.export_checks import leftovers, warehouse_counts, warehouse_months
from warehouse.export import export_warehouse
from warehouse.export.catalog import PARTITION_COLUMN, load_catalog

PARTITIONED = ["papers", "paper_authors", "votes", "author_papers"]


@pytest.fixture(scope="module")
def exported(generated_published, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("exports") / "papers-export"
    export_warehouse(generated_published, out)
    return out


@pytest.fixture(scope="module")
def counts(generated_published) -> dict[str, int]:
    found = warehouse_counts(generated_published)
    assert found["papers"] == 425 * 3 and found["quarantined_records"] == 1, "the generator's shape"
    return found


def test_the_large_tables_are_partitioned_by_month_and_the_small_ones_are_one_file(exported):
    for table in PARTITIONED:
        folders = sorted(path.name for path in (exported / table).iterdir())
        assert folders[0] == f"{PARTITION_COLUMN}=2024-01" and folders[-1] == f"{PARTITION_COLUMN}=2025-02"
        assert len(folders) == 14
    assert [path.name for path in (exported / "authors").iterdir()] == ["data_0.parquet"]


def test_polars_reads_every_table_into_the_warehouses_row_counts(exported, counts):
    for table in load_catalog().tables:
        frame = pl.scan_parquet(exported / table.glob, hive_partitioning=True).select(pl.len()).collect()
        assert frame.item() == counts[table.name], table.name


def test_pyarrow_reads_every_table_into_the_warehouses_row_counts(exported, counts):
    for table in load_catalog().tables:
        dataset = ds.dataset(exported / table.name, format="parquet", partitioning="hive")
        assert dataset.count_rows() == counts[table.name], table.name


def test_rows_per_month_are_the_warehouses(exported, generated_published):
    with duckdb.connect() as con:
        for table in PARTITIONED:
            source = f"read_parquet('{exported}/{table}/*/*.parquet', hive_partitioning = true)"
            found = dict(con.execute(f"SELECT {PARTITION_COLUMN}, count(*) FROM {source} GROUP BY 1 ORDER BY 1").fetchall())
            assert found == warehouse_months(generated_published, table), table


def test_duckdb_reads_back_the_same_values(exported, generated_published):
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{generated_published}' AS wh (READ_ONLY)")
        for table in load_catalog().tables:
            source = f"read_parquet('{exported}/{table.glob}', hive_partitioning = true)"
            described = con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {source})").fetchall()
            # the files hold UTC instants; the warehouse naive UTC times
            back = ", ".join(
                f'timezone(\'UTC\', "{name}") AS "{name}"' if kind == "TIMESTAMP WITH TIME ZONE" else f'"{name}"'
                for name, kind in described
                if name != PARTITION_COLUMN
            )
            columns = ", ".join(f'"{name}"' for name in table.columns)
            files = f"SELECT {back} FROM {source}"
            warehouse = f'SELECT {columns} FROM wh."{table.name}"'
            for left, right in ((files, warehouse), (warehouse, files)):
                assert con.execute(f"SELECT count(*) FROM ({left} EXCEPT ALL {right})").fetchall()[0][0] == 0, table.name


def test_timestamps_are_utc_instants_and_text_survives(exported):
    papers = pl.read_parquet(exported / "papers" / f"{PARTITION_COLUMN}=2024-01" / "data_0.parquet")
    first = papers.filter(pl.col("paper_id") == "2401.00000").row(0, named=True)
    assert first["published_at"] == datetime(2023, 12, 30, tzinfo=UTC)
    assert first["title"] == 'Über "quoted" | piped title, day 0'
    assert first["ai_keywords"] is None
    assert papers.filter(pl.col("paper_id") == "2401.00001")["ai_keywords"].to_list() == [[]]


def test_the_files_use_parquet_options_old_readers_understand(exported):
    files = sorted(exported.rglob("*.parquet"))
    assert files
    for path in files:
        metadata = pq.ParquetFile(path).metadata
        assert metadata.format_version == "1.0", path
        for group in range(metadata.num_row_groups):
            for index in range(metadata.num_columns):
                column = metadata.row_group(group).column(index)
                assert column.compression == "SNAPPY", path
                assert not any(encoding.startswith("DELTA") for encoding in column.encodings), path
    votes = pq.ParquetFile(next((exported / "votes").rglob("*.parquet"))).metadata.row_group(0)
    observed = next(votes.column(i) for i in range(votes.num_columns) if votes.column(i).path_in_schema == "observed_at")
    assert observed.statistics.converted_type == "TIMESTAMP_MICROS"  # the legacy annotation old readers know


def test_schema_json_states_the_tables_rows_months_columns_and_dates(exported, counts, generated_published):
    schema = json.loads((exported / "schema.json").read_text())
    assert schema["format"] == "papers-export"
    assert schema["listing_dates"] == {"first": "2024-01-01", "last": "2025-02-28", "days": 425}
    assert {t["name"]: t["rows"] for t in schema["tables"]} == counts
    for entry in schema["tables"]:
        table = next(t for t in load_catalog().tables if t.name == entry["name"])
        names = [c["name"] for c in entry["columns"]]
        files = pq.read_schema(next((exported / table.name).rglob("*.parquet"))).names
        assert names == files + ([PARTITION_COLUMN] if table.partitioned else []), table.name
        assert all(c["type"] and c["description"] for c in entry["columns"]), table.name
        if table.partitioned:
            assert entry["partitions"] == warehouse_months(generated_published, table.name)
    votes = next(t for t in schema["tables"] if t["name"] == "votes")
    assert {c["name"]: c["type"] for c in votes["columns"]}["observed_at"] == "TIMESTAMP WITH TIME ZONE"


def test_the_readme_data_card_names_every_table_column_and_count(exported, counts):
    readme = (exported / "README.md").read_text()
    assert "2024-01-01 to 2025-02-28" in readme and "arXiv" in readme and "terms of service" in readme
    for table in load_catalog().tables:
        assert f"### {table.name}\n" in readme
        assert f"Rows: {counts[table.name]}." in readme
        for column in table.columns:
            assert f"| `{column}` |" in readme, (table.name, column)


def test_a_second_export_replaces_the_first_and_leaves_no_staging_folder(generated_published, tmp_path):
    out = tmp_path / "export"
    export_warehouse(generated_published, out)
    (out / "papers" / "stray.txt").write_text("from the first export")
    result = export_warehouse(generated_published, out)
    assert not (out / "papers" / "stray.txt").exists()
    assert {t.table.name: t.rows for t in result.tables} == warehouse_counts(generated_published)
    assert leftovers(out) == []
