"""Listing pages dropped into $PAPERS_HOME/listings/: the sensor notices them, the asset imports them once."""

from __future__ import annotations

import shutil

import dagster as dg
import duckdb

from orchestration.listing_pages.listed_papers import listed_papers, new_listing_files
from orchestration.resources import WarehouseResource
from tests.conftest import SAMPLE_LISTING


def import_listings(home, instance, as_of="2025-12-11") -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [listed_papers],
        instance=instance,
        resources={"warehouse": WarehouseResource(papers_home=str(home))},
        run_config={"ops": {"listed_papers": {"config": {"as_of": as_of}}}},
    )


def published_count(home) -> int:
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        return con.execute("SELECT count(*) FROM listed_papers").fetchall()[0][0]


def sensor_run_keys(home) -> list[str]:
    context = dg.build_sensor_context(resources={"warehouse": WarehouseResource(papers_home=str(home))})
    result = new_listing_files(context)
    return [] if isinstance(result, dg.SkipReason) else [result.run_key]


def test_the_sensor_waits_for_a_page_and_asks_once_per_set_of_contents(tmp_path):
    home = tmp_path / "home"
    assert sensor_run_keys(home) == []
    (home / "listings").mkdir(parents=True)
    shutil.copy(SAMPLE_LISTING, home / "listings" / "page.txt")
    first = sensor_run_keys(home)
    # The same content under another name is the same set of pages: same run key, no new import.
    (home / "listings" / "page.txt").rename(home / "listings" / "renamed.txt")
    assert sensor_run_keys(home) == first and len(first) == 1


def test_the_asset_imports_a_dropped_page_once_and_publishes_it(tmp_path):
    home = tmp_path / "home"
    (home / "listings").mkdir(parents=True)
    shutil.copy(SAMPLE_LISTING, home / "listings" / "page.txt")
    with dg.DagsterInstance.ephemeral() as instance:
        first = import_listings(home, instance)
        # 57 entries on the sample page (counted by hand in tests/transforms/test_listing.py).
        assert published_count(home) == 57
        second = import_listings(home, instance)
    assert published_count(home) == 57
    files = [r.asset_materializations_for_node("listed_papers")[0].metadata["files"].value for r in (first, second)]
    assert files[0]["page.txt"]["already_imported"] is False
    assert files[1]["page.txt"]["already_imported"] is True
    ways = [r.asset_materializations_for_node("listed_papers")[0].metadata["publish"].value for r in (first, second)]
    assert ways == ["full copy: nothing published yet", "full copy: no retired snapshot yet"]


def check_passed(result: dg.ExecuteInProcessResult) -> bool:
    [evaluation] = result.get_asset_check_evaluations()
    return evaluation.passed


def test_a_file_that_is_no_listing_fails_alone_is_set_aside_and_named(tmp_path):
    home = tmp_path / "home"
    listings = home / "listings"
    listings.mkdir(parents=True)
    shutil.copy(SAMPLE_LISTING, listings / "page.txt")
    # Named to be read first: it used to fail the whole run, so no page imported, ever.
    (listings / "a-saved.txt").write_text("<!doctype html>\n<html><body>Daily Papers</body></html>\n")
    with dg.DagsterInstance.ephemeral() as instance:
        first = import_listings(home, instance)
        assert first.success
        assert published_count(home) == 57
        rejected = first.asset_materializations_for_node("listed_papers")[0].metadata["rejected"].value
        assert list(rejected) == ["a-saved.txt"]
        assert rejected["a-saved.txt"]["path"] == str(listings / "a-saved.txt")
        assert "found an HTML page" in rejected["a-saved.txt"]["reason"]
        assert rejected["a-saved.txt"]["moved_to"] == str(listings / "rejected" / "a-saved.txt")
        assert not check_passed(first)
        # Set aside, so the next run reads the good pages only and its check passes.
        second = import_listings(home, instance)
    assert second.success and check_passed(second)
    assert (listings / "rejected" / "a-saved.txt").read_text().startswith("<!doctype html>")
    assert sensor_run_keys(home) == sensor_run_keys_of_page_only(tmp_path)


def sensor_run_keys_of_page_only(tmp_path) -> list[str]:
    alone = tmp_path / "alone"
    (alone / "listings").mkdir(parents=True)
    shutil.copy(SAMPLE_LISTING, alone / "listings" / "page.txt")
    return sensor_run_keys(alone)


def test_a_rejected_name_already_taken_keeps_both_files(tmp_path):
    from landing.listing_folder import set_aside

    listings = tmp_path / "listings"
    listings.mkdir()
    for content in ("first", "second"):
        (listings / "bad.txt").write_text(content)
        set_aside(listings / "bad.txt", f"{content} reason")
    rejected = listings / "rejected"
    assert (rejected / "bad.txt").read_text() == "first"
    assert (rejected / "bad-1.txt").read_text() == "second"
    assert "second reason" in (rejected / "bad-1.txt.reason").read_text()


def test_a_copy_in_progress_and_other_suffixes_are_not_read(tmp_path):
    from landing.listing_folder import listing_files

    for name in ("page.txt", "notes.md", ".page2.txt.partial", ".hidden.txt", "page.html", "x.json"):
        (tmp_path / name).write_text("x")
    (tmp_path / "rejected").mkdir()
    (tmp_path / "rejected" / "bad.txt").write_text("x")
    assert [p.name for p in listing_files(tmp_path)] == ["notes.md", "page.txt"]


def test_a_page_is_stored_under_a_name_the_folder_reads(tmp_path):
    from landing.listing_folder import listing_files, stored_name

    names = ["page.txt", "notes.md", "page.html", ".hidden.txt", "README"]
    for name in names:
        (tmp_path / stored_name(name)).write_text("x")
    assert [p.name for p in listing_files(tmp_path)] == sorted(
        ["page.txt", "notes.md", "page.html.txt", "hidden.txt", "README.txt"]
    )
