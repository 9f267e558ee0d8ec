"""A day whose refetch breaks a fetch limit fails alone, through the real asset, and the day
already in the warehouse stays as it was (published rows, raw fetches)."""

from __future__ import annotations

from datetime import date

import dagster as dg
import pytest

from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from landing.raw_store import last_failure, list_fetches
from papers_settings import Settings
from tests.orchestration.test_daily_papers_asset import published, run_range

START = date(2025, 2, 3)


@pytest.fixture
def instance():
    with dg.DagsterInstance.ephemeral() as ephemeral:
        yield ephemeral


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    ("fault", "env", "message"),
    [
        ("always:gzip-bomb:1024", {"HF_MAX_BODY_BYTES": "1048576"}, "HF_MAX_BODY_BYTES"),
        ("always:endless", {"HF_MAX_BODY_BYTES": "1048576"}, "HF_MAX_BODY_BYTES"),
        ("always:endless-pages", {"HF_MAX_PAGES_PER_DAY": "2"}, "HF_MAX_PAGES_PER_DAY"),
        ("always:drip:0.1", {"HF_REQUEST_DEADLINE_S": "0.3"}, "HF_REQUEST_DEADLINE_S"),
    ],
)
def test_a_refetch_over_a_limit_keeps_the_loaded_day(tmp_path, instance, fault, env, message):
    days_dir = tmp_path / "served"
    [day] = fixture_days(days_dir, 1, START)
    home = tmp_path / "home"
    raw_dir = home / "raw" / "daily_papers"
    with FakeHFServer(days_dir) as server:
        assert run_range(server, home, day, day, instance).success
        before = published(home, "SELECT * FROM papers ORDER BY ALL")
        server.reset_faults({str(day): fault})
        # The limits as a user sets them: variables -> Settings -> the resource's fields.
        result = run_range(server, home, day, day, instance, limits=Settings.from_env(env).hf_limits)
    assert not result.success
    assert published(home, "SELECT * FROM papers ORDER BY ALL") == before
    assert len(before) > 0 and len(list_fetches(raw_dir, day)) == 1
    failure = last_failure(raw_dir, day)
    assert failure["listing_date"] == str(day)  # the day is stored beside the reason, not repeated in it
    assert failure["message"].startswith(("gave up after", "stopped before")) and message in failure["message"]
    assert "\n" not in failure["message"]
