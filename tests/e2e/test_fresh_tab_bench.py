"""`papers bench`'s fresh-tab step on a seeded warehouse: both servers start, the Overview and the
empty page render in Debian chromium, and the figures it reports are the ones it timed."""

from __future__ import annotations

import pytest

from bench.measure_fresh_tab import measure_fresh_tab
from tests.dashboard.seed import seed_warehouse

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def test_a_fresh_tab_to_the_rendered_overview_is_timed_beside_an_empty_page(tmp_path, chromium):
    home = tmp_path / "home"
    seed_warehouse(home / "warehouse.duckdb")
    result = measure_fresh_tab(home, repeats=2)
    for page in ("overview", "empty_page"):
        samples = result[page]["samples_ms"]
        assert len(samples) == 2 and all(sample > 0 for sample in samples), page
        assert result[page]["max_ms"] == pytest.approx(max(samples), abs=0.1)
    assert result["ours_median_ms"] == pytest.approx(result["overview"]["median_ms"] - result["empty_page"]["median_ms"])


def test_a_home_without_a_published_warehouse_is_named(tmp_path, chromium):
    with pytest.raises(FileNotFoundError, match=str(tmp_path)):
        measure_fresh_tab(tmp_path, repeats=1)
