"""Every example query of the SQL console returns rows on the bundled sample.

The warehouse is made the way a user makes it: `papers up --no-serve` loads and publishes the four
bundled days (2024-05-27 .. 2025-12-25) into a fresh PAPERS_HOME. The examples then run through the
console's real worker process.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.screens.sql_console import EXAMPLES
from dashboard.sql_console_runner import run_console_query


@pytest.fixture(scope="module")
def sample_warehouse(sample_home, tmp_path_factory) -> Path:
    """The published warehouse of the bundled sample days, loaded by `papers up --no-serve` (a copy)."""
    return Path(shutil.copy(sample_home / "warehouse.duckdb", tmp_path_factory.mktemp("papers_home")))


@pytest.mark.parametrize("title", list(EXAMPLES))
def test_every_example_returns_rows_on_the_sample(sample_warehouse, title):
    result = run_console_query(sample_warehouse, EXAMPLES[title])
    assert result.ok, result.message
    assert len(result.frame) > 0, f"{title!r} returned no rows on the bundled sample"


def test_the_first_example_shows_the_newest_sample_month(sample_warehouse):
    # The sample's newest day is 2025-12-25 and the one before it 2025-01-22: the latest 30 days hold one day.
    result = run_console_query(sample_warehouse, next(iter(EXAMPLES.values())))
    assert {str(day) for day in result.frame["listing_date"]} == {"2025-12-25"}
    assert result.frame["upvotes"].is_monotonic_decreasing
