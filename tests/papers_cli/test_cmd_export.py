"""`papers export`: one clear line and exit status 1 for bad input; a summary line when it worked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from papers_cli.main import main
from tests.warehouse.export.generated import generate_warehouse


@pytest.fixture(scope="module")
def generated_published(tmp_path_factory) -> Path:
    """The generated 14-month warehouse (Jan 2024 to Feb 2025), without the search tables."""
    return generate_warehouse(tmp_path_factory.mktemp("generated") / "warehouse.duckdb", derived=False)


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


def test_without_a_published_warehouse_it_says_how_to_make_one(papers_home, tmp_path, capsys):
    assert main(["export", "--out", str(tmp_path / "export")]) == 1
    line = one_line(capsys.readouterr().err)
    assert "No published warehouse at" in line and "papers up" in line
    assert not (tmp_path / "export").exists()


def test_a_folder_that_is_not_an_export_is_refused_by_name(papers_home, generated_published, tmp_path, capsys):
    shutil.copyfile(generated_published, papers_home / "warehouse.duckdb")
    mine = tmp_path / "photos"
    mine.mkdir()
    (mine / "cat.jpg").write_bytes(b"\xff\xd8")
    assert main(["export", "--out", str(mine)]) == 1
    line = one_line(capsys.readouterr().err)
    assert str(mine) in line and "not a papers export" in line
    assert [p.name for p in mine.iterdir()] == ["cat.jpg"]


def test_an_out_that_cannot_be_created_is_refused_by_name(papers_home, generated_published, tmp_path, capsys):
    shutil.copyfile(generated_published, papers_home / "warehouse.duckdb")
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert main(["export", "--out", str(a_file / "export")]) == 1
    assert "cannot create" in one_line(capsys.readouterr().err)


def test_an_export_prints_each_table_and_a_summary(papers_home, generated_published, tmp_path, capsys):
    shutil.copyfile(generated_published, papers_home / "warehouse.duckdb")
    assert main(["export", "--out", str(tmp_path / "export")]) == 0
    err = capsys.readouterr().err
    assert "papers: 1,275 rows in 14 months" in err
    assert "Exported 13 tables (listing dates 2024-01-01 to 2025-02-28)" in err
