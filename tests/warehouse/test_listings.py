"""import_listing: the sample page lands whole, once per content, in one transaction, linked to papers."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLE_LISTING
from transforms.listing import ListingFormatError
from warehouse import listings
from warehouse.db import SCHEMA_DIR
from warehouse.listings import import_listing, import_listing_file

AS_OF = date(2025, 12, 11)
IMPORTED_AT = datetime(2025, 12, 11, 9, 30)
# Position 12 of the sample page, as the API spells it: the same paper, with its title in another case.
REPHRASING = ("2401.16380", "Rephrasing the Web: A recipe for compute and data-efficient language modeling")


def create_listing_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The two schema files this feature needs, in the order warehouse.db applies them."""
    for name in ("001_core_tables.sql", "002_listed_papers.sql"):
        con.execute((SCHEMA_DIR / name).read_text())


@pytest.fixture
def con():
    connection = duckdb.connect()
    create_listing_tables(connection)
    yield connection
    connection.close()


def add_paper(con, paper_id: str, title: str, published: date | None = None) -> None:
    """One `papers` row as the API load would write it (only the columns the link reads matter)."""
    con.execute(
        "INSERT INTO papers (paper_id, title, published_at, listing_date, upvotes, author_count) VALUES (?, ?, ?, ?, 0, 1)",
        [paper_id, title, published, published or date(2024, 1, 1)],
    )


def table(con, name: str) -> list[tuple]:
    return con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()


def import_sample(con, source_file: str = "daily_papers_listing.txt"):
    return import_listing(con, SAMPLE_LISTING.read_text(), source_file=source_file, as_of=AS_OF, imported_at=IMPORTED_AT)


def test_sample_page_imports_every_entry(con):
    result = import_sample(con)
    # 57 entries counted by hand (see tests/transforms/test_listing.py); no paper loaded, so no link.
    assert (result.rows, result.already_imported, result.linked) == (57, False, 0)
    assert result.source_file == "daily_papers_listing.txt"
    stored = con.execute(
        "SELECT count(*), count(DISTINCT content_sha256), count(listed_date), count(upvotes), "
        "count(organization), min(imported_at) FROM listed_papers"
    ).fetchall()
    assert stored == [(57, 1, 53, 14, 1, IMPORTED_AT)]
    assert con.execute("SELECT listed_date, upvotes FROM listed_papers WHERE position = 12").fetchall() == [
        (date(2024, 1, 29), 7)
    ]


def test_same_content_twice_changes_nothing(con):
    first = import_sample(con)
    before = table(con, "listed_papers")
    again = import_sample(con)
    renamed = import_sample(con, source_file="copy of the page.txt")
    # Re-saved by an editor: CRLF line ends, trailing blanks, a final newline. Still the same page.
    resaved = import_listing(
        con, SAMPLE_LISTING.read_text().replace("\n", "  \r\n") + "\r\n", source_file="resaved.txt", as_of=AS_OF
    )
    assert table(con, "listed_papers") == before
    assert (again.rows, again.already_imported, resaved.already_imported) == (57, True, True)
    # Same text under another name is the same page: the first file name stays.
    assert (renamed.already_imported, renamed.source_file, renamed.content_sha256) == (
        True,
        "daily_papers_listing.txt",
        first.content_sha256,
    )


def test_not_a_listing_imports_nothing(con, tmp_path):
    import_sample(con)
    before = table(con, "listed_papers")
    csv = tmp_path / "papers.csv"
    csv.write_text("paper_id,title\n2401.16380,Rephrasing the Web\n")
    with pytest.raises(ListingFormatError, match=r"papers.csv, line 1: expected the page header"):
        import_listing_file(con, csv, as_of=AS_OF)
    assert table(con, "listed_papers") == before


def test_error_half_way_through_rolls_back(con, monkeypatch):
    def broken_relink(connection):
        raise RuntimeError("disk full")

    monkeypatch.setattr(listings, "relink_listed_papers", broken_relink)
    with pytest.raises(RuntimeError, match="disk full"):
        import_sample(con)
    assert table(con, "listed_papers") == []


def test_non_utf8_file_says_which_line(con, tmp_path):
    page = tmp_path / "latin1.txt"
    page.write_bytes("Daily Papers\n\nDec 11\n\nCaf\u00e9 Paper\n".encode("latin-1"))
    with pytest.raises(ListingFormatError) as raised:
        import_listing_file(con, page, as_of=AS_OF)
    assert (raised.value.line, raised.value.expected) == (5, "UTF-8 text")
    assert raised.value.found.startswith("the byte 0xe9 (not UTF-8")


def test_file_import_uses_the_file_name(con, tmp_path):
    page = tmp_path / "search pretraining.txt"
    page.write_bytes(SAMPLE_LISTING.read_bytes())
    result = import_listing_file(con, page, as_of=AS_OF)
    assert (result.rows, result.source_file) == (57, "search pretraining.txt")
    assert con.execute("SELECT DISTINCT source_file FROM listed_papers").fetchall() == [("search pretraining.txt",)]


def test_paper_loaded_before_import_links_by_normalised_title(con):
    add_paper(con, *REPHRASING, published=date(2024, 1, 29))
    add_paper(con, "2401.00001", "Rephrasing the Web")  # a different (shorter) title: must not link
    papers_before = table(con, "papers")
    result = import_sample(con)
    assert result.linked == 1
    assert con.execute("SELECT position, paper_id FROM listed_papers WHERE paper_id IS NOT NULL").fetchall() == [
        (12, "2401.16380")
    ]
    assert table(con, "papers") == papers_before


def test_paper_loaded_after_import_still_links(con):
    import_sample(con)
    # Position 49 of the page; the API loads it only later.
    add_paper(con, "2412.15115", "Qwen2.5  technical report", published=date(2024, 12, 19))
    linked = "SELECT position, paper_id FROM {} WHERE paper_id IS NOT NULL"
    assert con.execute(linked.format("listed_papers_linked")).fetchall() == [(49, "2412.15115")]
    assert con.execute(linked.format("listed_papers")).fetchall() == []
    assert listings.relink_listed_papers(con) == 1
    assert con.execute(linked.format("listed_papers")).fetchall() == [(49, "2412.15115")]
    assert listings.relink_listed_papers(con) == 0


def test_shared_title_links_to_the_paper_published_nearest_the_listed_date(con):
    # Two papers share the normalised title of position 12 (listed "Jan 29, 2024").
    add_paper(con, "2301.99999", REPHRASING[1], published=date(2023, 1, 29))  # a year off
    add_paper(con, "2401.16380", REPHRASING[1].upper(), published=date(2024, 1, 29))  # same day
    import_sample(con)
    assert con.execute("SELECT paper_id FROM listed_papers WHERE position = 12").fetchall() == [("2401.16380",)]


def test_sql_and_polars_title_folding_agree(con, sample_api_dir: Path):
    import polars as pl

    from transforms.listing import normalise_title, parse_listing

    page_titles = parse_listing(SAMPLE_LISTING.read_text(), as_of=AS_OF, source_file="x")["title"]
    api_titles = [
        item["paper"]["title"] for path in sorted(sample_api_dir.glob("*.json")) for item in json.loads(path.read_text())
    ]
    # The real titles (hard wraps, LaTeX, quotes in the older API eras) plus a few odd characters.
    titles = pl.DataFrame({"title": [*page_titles, *api_titles, "Ünïcode\tTAB—dash ǅ ﬁ"]})
    in_polars = titles.select(normalise_title(pl.col("title"))).to_series().to_list()
    con.register("titles", titles.to_arrow())
    in_sql = [row[0] for row in con.execute("SELECT normalise_title(title) FROM titles").fetchall()]
    assert titles.height > 100
    assert in_sql == in_polars


def test_schema_file_can_run_again_on_a_filled_warehouse(con):
    import_sample(con)
    before = table(con, "listed_papers")
    create_listing_tables(con)  # warehouse.db applies every schema file on each writer connect
    assert table(con, "listed_papers") == before


def test_warehouse_connect_creates_the_listing_table_and_view():
    from warehouse.db import apply_schema

    connection = duckdb.connect()
    apply_schema(connection)
    names = connection.execute(
        "SELECT table_name, table_type FROM information_schema.tables "
        "WHERE table_name IN ('listed_papers', 'listed_papers_linked') ORDER BY 1"
    ).fetchall()
    assert names == [("listed_papers", "BASE TABLE"), ("listed_papers_linked", "VIEW")]
