"""Under one real `dagster dev` (webserver, daemon, code server), what runs without a backfill's
own tests: the freshness check executed from the Dagster UI as a user clicks it (the check's Execute
button, the GraphQL launch the UI sends, the verdict read back from the check's executions), and the
automation sensor weekly_digest_after_loads, running without anyone turning it on, writing a week's
digest after a backfill launched as the UI launches it loads days of that week.

One `dagster dev` start-up (and stop) is most of each test's cost, so the two share one; neither
needs the other's data. The digest's week is in 2025; the freshness check judges yesterday, whose
rows the check's test writes straight into the published warehouse, Dagster knowing nothing of them
(the digest's sensor follows Dagster's materializations, not the warehouse's rows). It writes only
once no run is active or still to come, as a run could swap in a copy of the warehouse made before.
The sample's verdict under HF_API_BASE_URL=sample is checked in process
(tests/orchestration/test_freshness.py): the launch path is the same as here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from hf_api.testing.fake_server import FakeHFServer
from hf_api.testing.fixture_days import fixture_days
from tests.e2e.dagster_harness import RUN_DONE, DagsterDev, published_papers, search_covers_every_paper, wait_until
from tests.orchestration.test_freshness import publish_days

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

WEEK = "2025-03-03"  # a Monday
DAYS = ["2025-03-03", "2025-03-04"]
KEY = {"path": ["published_warehouse"]}


@pytest.fixture(scope="module")
def hf(tmp_path_factory):
    served = tmp_path_factory.mktemp("served")
    fixture_days(served, len(DAYS), date.fromisoformat(DAYS[0]))
    with FakeHFServer(served) as server:
        yield server


@pytest.fixture(scope="module")
def dagster(tmp_path_factory, hf):
    # Freshness hour 0: yesterday is due from midnight UTC on.
    env = {"HF_API_BASE_URL": hf.base_url, "HF_REQUESTS_PER_SECOND": "0", "PAPERS_FRESHNESS_HOUR_UTC": "0"}
    with DagsterDev(tmp_path_factory.mktemp("papers_home"), env=env) as dev:
        yield dev


CHECKS = """
query Checks($key: AssetKeyInput!) {
  assetNodeOrError(assetKey: $key) { ... on AssetNode {
    repository { name location { name } }
    assetChecksOrError { ... on AssetChecks { checks {
      name jobNames canExecuteIndividually partitionDefinition { description } } } } } }
}"""

# What ExecuteChecksButton (ui-core/src/assets/asset-checks) sends when Execute is clicked.
LAUNCH = """
mutation Launch($executionParams: ExecutionParams!) {
  launchPipelineExecution(executionParams: $executionParams) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on InvalidSubsetError { message }
    ... on RunConfigValidationInvalid { errors { message } }
  }
}"""

EXECUTIONS = """
query Executions($key: AssetKeyInput!, $name: String!) {
  assetCheckExecutions(assetKey: $key, checkName: $name, limit: 20) {
    runId status evaluation { success description }
  }
}"""

RUN = """query Run($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }"""


def execute_from_ui(dagster: DagsterDev) -> dict:
    """Click Execute on the check's page: launch it as the UI does, wait, return its execution."""
    node = dagster.graphql(CHECKS, {"key": KEY})["assetNodeOrError"]
    [check] = node["assetChecksOrError"]["checks"]
    # The UI disables Execute for a partitioned check and for one that needs the asset's step.
    assert check["partitionDefinition"] is None
    assert check["canExecuteIndividually"] == "CAN_EXECUTE"
    params = {
        "mode": "default",
        "executionMetadata": {},
        "runConfigData": "{}",
        "selector": {
            "jobName": check["jobNames"][0],
            "repositoryName": node["repository"]["name"],
            "repositoryLocationName": node["repository"]["location"]["name"],
            "assetSelection": [],
            "assetCheckSelection": [{"assetKey": KEY, "name": check["name"]}],
        },
    }
    launched = dagster.graphql(LAUNCH, {"executionParams": params})["launchPipelineExecution"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]

    def finished():
        status = dagster.graphql(RUN, {"id": run_id})["runOrError"]["status"]
        return status if status in RUN_DONE else None

    status = wait_until(finished, 240, f"check run {run_id}", interval=1)
    assert status == "SUCCESS", dagster.log_tail()
    # The freshness sensor records evaluations too (without a run): pick this run's.
    executions = dagster.graphql(EXECUTIONS, {"key": KEY, "name": check["name"]})["assetCheckExecutions"]
    [execution] = [e for e in executions if e["runId"] == run_id]
    return execution


def settled(dagster: DagsterDev) -> bool:
    """No run active, and none still to come: once papers are published, the automation sensor's
    search rebuild (the one run a load leaves to come) has covered them."""
    if dagster.active_runs():
        return False
    home = dagster.papers_home
    return not (home / "warehouse.duckdb").exists() or not published_papers(home) or search_covers_every_paper(home)


def test_the_check_runs_from_the_ui_fails_while_late_and_passes_once_published(dagster, hf):
    home = dagster.papers_home
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    wait_until(lambda: settled(dagster), 300, "no run active or to come", interval=2)
    publish_days(home, [yesterday - timedelta(days=1)])
    served_before = len(hf.requests)

    late = execute_from_ui(dagster)
    assert (late["status"], late["evaluation"]["success"]) == ("FAILED", False)
    assert f"{yesterday} is not in the published warehouse" in late["evaluation"]["description"]
    publish_days(home, [yesterday])
    fresh = execute_from_ui(dagster)
    assert (fresh["status"], fresh["evaluation"]["success"]) == ("SUCCEEDED", True)
    # The check reads the warehouse only: the HF API is never called for it.
    assert len(hf.requests) == served_before


def test_a_loaded_week_gets_its_digest_from_the_automation_sensor(dagster):
    home = dagster.papers_home
    # Nobody turns the sensor on: its default status is what makes this digest appear.
    status = dagster.wait_for_backfill(dagster.launch_backfill(DAYS))
    assert status["status"] in ("COMPLETED", "COMPLETED_SUCCESS"), status
    digest = home / "digests" / f"{WEEK}.md"
    wait_until(lambda: dagster.partition_statuses("weekly_digest").get(WEEK) == "MATERIALIZED", 300, "the week's digest")
    assert digest.is_file() and (home / "digests" / f"{WEEK}.html").is_file()
    assert "## Papers, most upvoted first" in digest.read_text()
    assert set(dagster.partition_statuses("weekly_digest")) == {WEEK}  # no other week was written
