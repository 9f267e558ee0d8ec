"""`papers digest`: what it writes, and one clear line with exit status 1 for what it cannot do."""

from __future__ import annotations

import pytest

from papers_cli.main import main
from tests.digest.hand_week import WEEK, hand_week_file


@pytest.fixture
def published(papers_home):
    hand_week_file(papers_home / "warehouse.duckdb")
    return papers_home


def _one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    return lines[0]


def test_a_week_is_written_where_out_says(published, tmp_path, capsys):
    out = tmp_path / "site"
    assert main(["digest", "--week", "2024-01-10", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["2024-01-08.html", "2024-01-08.md", "feed.xml"]
    assert "Week 2024-W02 (2024-01-08 to 2024-01-14): 4 papers" in capsys.readouterr().out


def test_the_default_folder_is_under_papers_home(published, capsys):
    assert main(["digest", "--week", WEEK.isoformat()]) == 0
    assert (published / "digests" / "2024-01-08.md").is_file()


def test_a_week_without_papers_writes_a_digest_that_says_so(published, tmp_path, capsys):
    assert main(["digest", "--week", "2023-06-01", "--out", str(tmp_path)]) == 0
    assert "no papers" in capsys.readouterr().out
    assert "No papers were listed this week" in (tmp_path / "2023-05-29.md").read_text()


def test_a_date_before_the_first_listing_is_one_line_and_exit_1(published, tmp_path, capsys):
    out = tmp_path / "site"
    assert main(["digest", "--week", "2023-05-01", "--out", str(out)]) == 1
    assert "before the first Daily Papers listing (2023-05-04)" in _one_line(capsys.readouterr().err)
    assert not out.exists()


def test_no_published_warehouse_is_one_line_and_exit_1(papers_home, tmp_path, capsys):
    assert main(["digest", "--week", "2024-01-10", "--out", str(tmp_path)]) == 1
    line = _one_line(capsys.readouterr().err)
    assert "No published warehouse at" in line and "papers up" in line


def test_an_out_that_cannot_be_written_says_so(published, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert main(["digest", "--week", "2024-01-10", "--out", str(blocker / "digests")]) == 1
    assert f"cannot write the digest to {blocker / 'digests'}" in _one_line(capsys.readouterr().err)
