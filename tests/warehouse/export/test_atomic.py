"""A failed export leaves the previous one whole; a folder that is not an export is never replaced;
staging folders of dead exports are cleaned up; the export reads one snapshot without blocking a publish."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from tests.warehouse.export.export_checks import leftovers, tree_digest, warehouse_counts
from tests.warehouse.export.generated import generate_warehouse
from warehouse.export import ExportTargetError, ExportVerifyError, export_warehouse, run as export_run
from warehouse.export.target import prepare_target, swap_in
from warehouse.publish import publish_file


@pytest.fixture
def previous(generated_published, tmp_path) -> Path:
    """A complete earlier export at tmp_path/export."""
    out = tmp_path / "export"
    export_warehouse(generated_published, out)
    return out


def fail_after(tables: int):
    written = []

    def hook(table) -> None:
        written.append(table.table.name)
        if len(written) == tables:
            raise RuntimeError("injected failure mid-export")

    return hook


def test_a_failure_mid_export_leaves_the_previous_export_whole_and_no_staging(generated_published, previous):
    before = tree_digest(previous)
    with pytest.raises(RuntimeError, match="injected"):
        export_warehouse(generated_published, previous, on_table_written=fail_after(3))
    assert tree_digest(previous) == before
    assert leftovers(previous) == []
    export_warehouse(generated_published, previous)  # the next run works
    papers = json.loads((previous / "schema.json").read_text())["tables"][0]
    assert papers["rows"] == warehouse_counts(generated_published)["papers"]


def test_files_that_do_not_read_back_into_the_rows_are_not_swapped_in(generated_published, previous, monkeypatch):
    before = tree_digest(previous)
    monkeypatch.setattr(export_run, "count_files", lambda con, folder, written: (written.rows + 1, written.partitions))
    with pytest.raises(ExportVerifyError, match="papers: the warehouse has"):
        export_warehouse(generated_published, previous)
    assert tree_digest(previous) == before and leftovers(previous) == []


def test_a_folder_that_is_not_an_export_is_refused_and_left_alone(generated_published, tmp_path):
    mine = tmp_path / "my-notes"
    mine.mkdir()
    (mine / "thesis.tex").write_text("years of work")
    with pytest.raises(ExportTargetError, match="exists and is not a papers export"):
        export_warehouse(generated_published, mine)
    assert [p.name for p in mine.iterdir()] == ["thesis.tex"] and leftovers(mine) == []


def test_a_file_at_out_or_under_a_file_is_refused(generated_published, tmp_path):
    a_file = tmp_path / "export.txt"
    a_file.write_text("not a folder")
    with pytest.raises(ExportTargetError, match="exists and is not a folder"):
        export_warehouse(generated_published, a_file)
    with pytest.raises(ExportTargetError, match="cannot create"):
        export_warehouse(generated_published, a_file / "export")
    assert a_file.read_text() == "not a folder"


def test_an_empty_folder_takes_an_export(generated_published, tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    export_warehouse(generated_published, out)
    assert (out / "schema.json").exists()


def test_a_missing_warehouse_is_named_and_nothing_is_made(tmp_path):
    with pytest.raises(FileNotFoundError, match="No published warehouse at"):
        export_warehouse(tmp_path / "warehouse.duckdb", tmp_path / "exports" / "export")
    assert list(tmp_path.iterdir()) == []


def test_a_warehouse_without_a_public_table_is_refused_by_name(generated_published, previous, tmp_path):
    older = tmp_path / "older.duckdb"
    shutil.copyfile(generated_published, older)
    with duckdb.connect(str(older)) as con:
        con.execute("DROP TABLE author_papers")  # as a warehouse published before the table existed
    before = tree_digest(previous)
    with pytest.raises(RuntimeError, match="has no table author_papers"):
        export_warehouse(older, previous)
    assert tree_digest(previous) == before and leftovers(previous) == []


def test_staging_folders_of_dead_exports_are_removed_and_live_ones_kept(previous):
    dead = previous.with_name(f".{previous.name}.export-dead.tmp")
    live = previous.with_name(f".{previous.name}.export-live.tmp")
    for folder in (dead, live):
        folder.mkdir()
        (folder / "data_0.parquet").write_bytes(b"partial")
    handle = os.open(live, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # as a running export holds its staging folder
        prepare_target(previous)
        assert not dead.exists() and live.exists()
    finally:
        os.close(handle)
    prepare_target(previous)
    assert leftovers(previous) == []


def test_the_two_rename_swap_replaces_the_export_too(generated_published, previous, tmp_path):
    staging = previous.with_name(f".{previous.name}.export-new.tmp")
    shutil.copytree(previous, staging)
    (staging / "marker").write_text("new")
    swap_in(staging, previous, exchange=False)
    assert (previous / "marker").read_text() == "new"
    assert not (staging / "marker").exists() and (staging / "schema.json").exists()  # the previous one, for deletion


def test_a_previous_export_set_aside_by_a_killed_swap_is_renamed_back(previous):
    aside = previous.with_name(f".{previous.name}.export-killed.previous.tmp")
    before = tree_digest(previous)
    os.rename(previous, aside)  # where a swap killed between its two renames leaves it
    prepare_target(previous)
    assert tree_digest(previous) == before and leftovers(previous) == []


def test_one_snapshot_is_exported_while_a_publish_swaps_in_another(generated_published, tmp_path):
    published = tmp_path / "home" / "warehouse.duckdb"
    published.parent.mkdir()
    shutil.copyfile(generated_published, published)
    bigger = generate_warehouse(tmp_path / "work.duckdb", days=40, derived=False)
    published_during = []

    def publish_after_papers(written) -> None:
        if written.table.name == "papers":  # a run publishes while the export reads
            published_during.append(publish_file(bigger, published, datetime.now(UTC)))

    result = export_warehouse(published, tmp_path / "export", on_table_written=publish_after_papers)
    assert published_during and warehouse_counts(published)["papers"] == 40 * 3  # the publish was not blocked
    exported = {t.table.name: t.rows for t in result.tables}
    assert exported == warehouse_counts(generated_published)  # every table from the snapshot it opened
