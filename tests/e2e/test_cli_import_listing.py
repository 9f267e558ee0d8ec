"""`papers import-listing` as a real command: a page imports; anything else is refused in one
line and changes nothing; a bad file left in the folder fails alone."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLE_LISTING
from tests.e2e.cli_helpers import CliResult, run_papers

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "listings"
AS_OF = "2025-12-11"


def import_listing(path: Path, home: Path) -> CliResult:
    # Never fetches: the base URL only has to be valid.
    return run_papers(["import-listing", str(path), "--as-of", AS_OF], home, "sample")


def published_entries(home: Path) -> dict[str, int]:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return dict(con.execute("SELECT source_file, count(*) FROM listed_papers GROUP BY 1").fetchall())


def folder_state(home: Path) -> dict[str, str]:
    """Every file under PAPERS_HOME except Dagster's own, with a digest of its bytes."""
    return {
        str(p.relative_to(home)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(home.rglob("*"))
        if p.is_file() and "dagster" not in p.parts
    }


def bad_inputs(folder: Path) -> dict[str, tuple[Path, str]]:
    """Files that are no listing page, and the words their one-line refusal must hold."""
    cases = {
        "an HTML save": ("page.html", (FIXTURES / "saved_page.html").read_bytes(), "found an HTML page"),
        "an empty file": ("empty.txt", b"", "found an empty file"),
        # A zip's first bytes: valid UTF-8, but control characters no text page holds.
        "a binary file": ("archive.txt", b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "found binary data"),
        "not UTF-8": ("scan.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), "not UTF-8"),
        "a CSV": ("papers.txt", (FIXTURES / "not_a_listing.txt").read_bytes(), "expected the page header"),
    }
    made = {}
    for case, (name, data, words) in cases.items():
        path = folder / name
        path.write_bytes(data)
        made[case] = (path, words)
    return made


def test_what_is_no_listing_is_refused_in_one_line_and_leaves_everything_as_it_was(tmp_path):
    home = tmp_path / "home"
    first = import_listing(SAMPLE_LISTING, home)
    assert first.returncode == 0, first.output
    before = folder_state(home)
    assert "warehouse.duckdb" in before
    for case, (path, words) in bad_inputs(tmp_path).items():
        result = import_listing(path, home)
        assert result.returncode == 1, (case, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1, (case, lines)
        assert lines[0].startswith(f"Not imported: {path}, line "), (case, lines)
        assert words in lines[0], (case, lines)
        assert folder_state(home) == before, case


def test_a_page_saved_under_another_suffix_is_imported_under_a_name_the_importer_reads(tmp_path):
    # The issue: "57 entries read" then "None entries", exit 0, nothing imported.
    home = tmp_path / "home"
    page = tmp_path / "page.html"
    page.write_bytes(SAMPLE_LISTING.read_bytes())
    result = import_listing(page, home)
    assert result.returncode == 0, result.output
    assert "listings/page.html.txt: 57 entries" in result.output and "None" not in result.output
    assert published_entries(home) == {"page.html.txt": 57}


def test_a_bad_file_already_in_the_folder_fails_alone_and_later_imports_succeed(tmp_path):
    home = tmp_path / "home"
    listings = home / "listings"
    listings.mkdir(parents=True)
    # Sorted before the good page, as in the issue: it used to fail every import after it.
    (listings / "0-broken.txt").write_bytes(b"\xff\xfe not a page")
    result = import_listing(SAMPLE_LISTING, home)
    assert result.returncode == 0, result.output
    assert f"Set aside {listings / '0-broken.txt'}" in result.output and "not UTF-8" in result.output
    assert published_entries(home) == {SAMPLE_LISTING.name: 57}
    rejected = listings / "rejected"
    assert (rejected / "0-broken.txt").read_bytes() == b"\xff\xfe not a page"
    assert "not UTF-8" in (rejected / "0-broken.txt.reason").read_text()
    assert not (listings / "0-broken.txt").exists()

    other = tmp_path / "other.txt"
    other.write_text(SAMPLE_LISTING.read_text().replace("Dec 11", "Dec 10", 1))
    again = import_listing(other, home)
    assert again.returncode == 0, again.output
    assert "Set aside" not in again.output and "listings/other.txt: 57 entries" in again.output
    assert published_entries(home) == {SAMPLE_LISTING.name: 57, "other.txt": 57}
