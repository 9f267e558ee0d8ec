"""The `papers` command refuses bad input with a clear message and a non-zero status."""

from __future__ import annotations

import pytest

from papers_cli.main import main


def test_a_malformed_date_is_refused_by_name(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["backfill", "--start", "2025-13-01", "--end", "2025-01-02"])
    assert exit_info.value.code == 2
    assert "'2025-13-01' is not a date in YYYY-MM-DD form" in capsys.readouterr().err


@pytest.mark.parametrize(
    "start, end, words",
    [
        ("2025-01-05", "2025-01-01", "is before --start"),
        ("2023-01-01", "2023-01-02", "the first day the API serves"),
        ("2025-01-01", "2999-01-01", "to today"),
    ],
)
def test_a_range_outside_the_partitions_is_refused(papers_home, capsys, start, end, words):
    assert main(["backfill", "--start", start, "--end", end]) == 2
    assert words in capsys.readouterr().err.replace("\n", " ")


def test_sql_without_a_published_warehouse_says_how_to_make_one(papers_home, capsys):
    assert main(["sql", "SELECT 1"]) == 2
    assert "papers up" in capsys.readouterr().err


def test_a_file_that_is_not_a_listing_is_not_imported(papers_home, tmp_path, capsys):
    page = tmp_path / "notes.txt"
    page.write_text("shopping list\neggs\n")
    assert main(["import-listing", str(page)]) == 1
    err = capsys.readouterr().err.replace("\n", " ")
    assert "line 1" in err and "Not imported" in err
    assert not (papers_home / "listings").exists()
