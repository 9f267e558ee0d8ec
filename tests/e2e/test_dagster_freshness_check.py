"""The freshness check executed from the Dagster UI, as a user clicks it: `dagster dev` on a
published warehouse, the check's Execute button (the GraphQL launch the UI sends), the verdict
read back from the check's executions.

One `dagster dev` start-up is the cost of this file. The sample's verdict under HF_API_BASE_URL=sample
is checked in process (tests/orchestration/test_freshness.py): the launch path is the same as here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.dagster_harness import RUN_DONE, DagsterDev, wait_until
from tests.orchestration.test_freshness import publish_days

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]
KEY = {"path": ["published_warehouse"]}

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


def test_the_check_runs_from_the_ui_fails_while_late_and_passes_once_published(tmp_path):
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    publish_days(tmp_path, [yesterday - timedelta(days=1)])
    # Hour 0: yesterday is due from midnight UTC on; the HF URL is never called by the check.
    env = {"HF_API_BASE_URL": "http://127.0.0.1:9", "PAPERS_FRESHNESS_HOUR_UTC": "0"}
    with DagsterDev(tmp_path, env=env) as dagster:
        late = execute_from_ui(dagster)
        assert (late["status"], late["evaluation"]["success"]) == ("FAILED", False)
        assert f"{yesterday} is not in the published warehouse" in late["evaluation"]["description"]
        publish_days(tmp_path, [yesterday])
        fresh = execute_from_ui(dagster)
        assert (fresh["status"], fresh["evaluation"]["success"]) == ("SUCCEEDED", True)
