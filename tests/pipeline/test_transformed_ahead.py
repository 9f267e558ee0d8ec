"""A load's next chunk is transformed on a worker thread while the caller loads the one before."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from pipeline.load_days import transformed_ahead


def test_every_item_is_transformed_once_and_handed_on_in_order():
    with ThreadPoolExecutor(1) as pool:
        assert list(transformed_ahead(range(5), lambda item: item * 10, pool)) == [0, 10, 20, 30, 40]
        assert list(transformed_ahead([], lambda item: item, pool)) == []


def test_the_next_item_is_transformed_while_the_caller_works_on_the_one_before():
    second_started = threading.Event()

    def transform(item: int) -> int:
        if item == 1:
            second_started.set()
        return item

    with ThreadPoolExecutor(1) as pool:
        items = transformed_ahead(range(3), transform, pool)
        assert next(items) == 0
        # The caller has not asked for item 1 yet: its transform runs on its own meanwhile.
        assert second_started.wait(timeout=10)
        assert list(items) == [1, 2]


def test_no_more_than_one_item_is_taken_ahead_of_the_caller():
    taken: list[int] = []

    def source():
        for item in range(10):
            taken.append(item)
            yield item

    with ThreadPoolExecutor(1) as pool:
        items = transformed_ahead(source(), lambda item: item, pool)
        assert next(items) == 0
        assert taken == [0, 1]  # item 1's frames are the only ones held beside the caller's
        items.close()


def test_an_items_error_is_raised_when_the_caller_reaches_it():
    def transform(item: int) -> int:
        if item == 2:
            raise ValueError(f"item {item} is malformed")
        return item

    handed: list[int] = []
    with ThreadPoolExecutor(1) as pool, pytest.raises(ValueError, match="item 2 is malformed"):
        for item in transformed_ahead(range(5), transform, pool):
            handed.append(item)
    assert handed == [0, 1]


def test_a_load_in_many_chunks_leaves_what_a_load_in_one_chunk_leaves(tmp_path, sample_api_dir, monkeypatch):
    from landing.raw_store import list_fetches
    from pipeline import load_days as tables
    from tests.pipeline.test_load_chunks import land_sample_days
    from warehouse.db import connect_writer

    days = land_sample_days(tmp_path / "raw", sample_api_dir)
    whole = connect_writer(tmp_path / "whole.duckdb")
    tables.load_days(whole, tmp_path / "raw", days, logging.getLogger())
    threads: set[str] = set()
    transform = tables.batches_for_fetches
    monkeypatch.setattr(
        tables, "batches_for_fetches", lambda chunk: threads.add(threading.current_thread().name) or transform(chunk)
    )
    cut = connect_writer(tmp_path / "cut.duckdb")
    fetches = {day: list_fetches(tmp_path / "raw", day) for day in days}
    # a day a chunk: each transformed beside the load of the one before
    tables.load_chunks(cut, tables.day_chunks(fetches, max_bytes=1), logging.getLogger())

    assert len(days) > 1 and threads and threading.current_thread().name not in threads
    for table in ("papers", "paper_authors", "author_papers", "authors", "votes", "partition_loads"):
        query = (
            f"SELECT * EXCLUDE (loaded_at) FROM {table} ORDER BY ALL"
            if table == "partition_loads"
            else f"SELECT * FROM {table} ORDER BY ALL"
        )
        assert cut.execute(query).fetchall() == whole.execute(query).fetchall(), table
