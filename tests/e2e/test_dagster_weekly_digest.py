"""Under a real `dagster dev` (webserver, daemon, code server), the automation sensor
weekly_digest_after_loads is running without anyone turning it on, and writes a week's digest
after a backfill launched as the UI launches it loads days of that week."""

from __future__ import annotations

from datetime import date

import pytest

from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from tests.e2e.dagster_harness import DagsterDev, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

WEEK = "2025-03-03"  # a Monday
DAYS = ["2025-03-03", "2025-03-04"]


def test_a_loaded_week_gets_its_digest_from_the_automation_sensor(tmp_path):
    served, home = tmp_path / "served", tmp_path / "papers_home"
    home.mkdir()
    fixture_days(served, 2, date.fromisoformat(DAYS[0]))
    with (
        FakeHFServer(served) as hf,
        DagsterDev(home, env={"HF_API_BASE_URL": hf.base_url, "HF_REQUESTS_PER_SECOND": "0"}) as dagster,
    ):
        # Nobody turns the sensor on: its default status is what makes this digest appear.
        status = dagster.wait_for_backfill(dagster.launch_backfill(DAYS))
        assert status["status"] in ("COMPLETED", "COMPLETED_SUCCESS"), status
        digest = home / "digests" / f"{WEEK}.md"
        wait_until(lambda: dagster.partition_statuses("weekly_digest").get(WEEK) == "MATERIALIZED", 300, "the week's digest")
        assert digest.is_file() and (home / "digests" / f"{WEEK}.html").is_file()
        assert "## Papers, most upvoted first" in digest.read_text()
        assert set(dagster.partition_statuses("weekly_digest")) == {WEEK}  # no other week was written
