"""`dagster dev` in a subprocess, driven through the webserver's GraphQL API as the UI drives it.

    with DagsterDev(papers_home, env={"HF_API_BASE_URL": url}) as dagster:
        backfill_id = dagster.launch_backfill(ASSETS, ["2025-03-03", ...])
        status = dagster.wait_for_backfill(backfill_id)

The instance lives in a temporary `DAGSTER_HOME` holding the shipped dagster.yaml (or another
profile, e.g. deploy/dagster.postgres.yaml). Teardown kills the whole process group and any
descendant that left it. The GraphQL side (`WebserverClient`) is shared with
tests/e2e/dagster_team.py, which runs the code server, webserver and daemon as three processes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import psutil
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
DAGSTER = Path(sys.executable).parent / "dagster"
SHIPPED_DAGSTER_YAML = REPO_ROOT / "deploy" / "dagster.yaml"
# The assets a user selects on the asset page to backfill a range end to end.
INGEST_ASSETS = [
    ["raw_daily_papers"],
    ["papers"],
    ["authors"],
    ["paper_authors"],
    ["votes"],
    ["quarantined_records"],
    ["published_warehouse"],
]
BACKFILL_DONE = {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"}
RUN_DONE = {"SUCCESS", "FAILURE", "CANCELED"}
# The code location dagster dev loads; E2E_CODE_TARGET="-f path.py" tries a variant of it.
CODE_TARGET = os.environ.get("E2E_CODE_TARGET", "-m orchestration.definitions").split()
# The backfill daemon's tick in seconds (Dagster's is 30; quick_ticks/sitecustomize.py says why and how);
# E2E_DAGSTER_BACKFILL_TICK_S=30 runs the tests at Dagster's own pace. (The automation sensors keep their
# 30 s: at 5 s the UI backfill file used 251 s of CPU instead of 206 s, both runs side by side: each
# evaluation of their conditions over the partitioned assets costs ~0.3 s of CPU.)
QUICK_TICKS = {
    "E2E_DAGSTER_BACKFILL_TICK_S": os.environ.get("E2E_DAGSTER_BACKFILL_TICK_S", "2"),
    "PYTHONPATH": os.pathsep.join(filter(None, [str(Path(__file__).parent / "quick_ticks"), os.environ.get("PYTHONPATH")])),
}

# How often the daemon looks at the run queue, in seconds: Dagster's default is 5, and every run a test
# launches (a backfill's, the automation sensors', a check's) waited half of that on average before it
# started. `run_queue: dequeue_interval_seconds` is Dagster's own setting for it; the test instances get 1
# (E2E_DAGSTER_DEQUEUE_S="" keeps the profile's own). Nothing else of the profile changes.
QUICK_QUEUE_S = os.environ.get("E2E_DAGSTER_DEQUEUE_S", "1")

LAUNCH_BACKFILL = """
mutation Launch($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message stack }
    ... on InvalidSubsetError { message }
    ... on UnauthorizedError { message }
    ... on PartitionSetNotFoundError { message }
    ... on InvalidStepError { invalidStepKey }
    ... on InvalidOutputError { stepKey invalidOutputName }
    ... on RunConflict { message }
    ... on ConflictingExecutionParamsError { message }
    ... on NoModeProvidedError { message }
  }
}"""

BACKFILL_STATUS = """
query Backfill($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill {
      id status numPartitions
      error { message }
      assetBackfillData { assetBackfillStatuses { __typename
        ... on AssetPartitionsStatusCounts { assetKey { path } numPartitionsTargeted
          numPartitionsInProgress numPartitionsMaterialized numPartitionsFailed } } }
    }
    ... on PythonError { message }
    ... on BackfillNotFoundError { message }
  }
}"""

RUNS = """
query Runs($filter: RunsFilter) {
  runsOrError(filter: $filter) {
    ... on Runs { results { runId status tags { key value } } }
    ... on PythonError { message }
  }
}"""

PARTITION_STATUSES = """
query Partitions($key: AssetKeyInput!) {
  assetNodeOrError(assetKey: $key) {
    ... on AssetNode { assetPartitionStatuses { __typename
      ... on TimePartitionStatuses { ranges { startKey endKey status } } } }
  }
}"""

RUN_STEPS = """
query Steps($runId: ID!) {
  runOrError(runId: $runId) {
    ... on Run { status stepStats { stepKey status } }
  }
}"""

RUN_EVENTS = """
query Events($runId: ID!) {
  logsForRun(runId: $runId, limit: 1000) {
    ... on EventConnection { events { __typename
      ... on ErrorEvent { error { message cause { message } } }
      ... on ExecutionStepFailureEvent { failureMetadata {
        metadataEntries { label ... on JsonMetadataEntry { jsonString } } } } } }
  }
}"""

RUN_ENGINE_EVENTS = """
query EngineEvents($runId: ID!) {
  logsForRun(runId: $runId, limit: 1000) {
    ... on EventConnection { events { __typename
      ... on EngineEvent { message metadataEntries { label ... on TextMetadataEntry { text } } } } }
  }
}"""


MATERIALIZATIONS = """
query Materializations($key: AssetKeyInput!, $partitions: [String!]) {
  assetNodeOrError(assetKey: $key) {
    ... on AssetNode { assetMaterializations(partitions: $partitions) { partition
      metadataEntries { label ... on IntMetadataEntry { intValue } ... on MarkdownMetadataEntry { mdStr } } } }
  }
}"""


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_dagster_home(dagster_home: Path, profile: Path = SHIPPED_DAGSTER_YAML) -> Path:
    """A DAGSTER_HOME holding `profile` as its dagster.yaml, with QUICK_QUEUE's run queue interval."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    settings = yaml.safe_load(profile.read_text())
    if QUICK_QUEUE_S:
        settings.setdefault("run_queue", {})["dequeue_interval_seconds"] = int(QUICK_QUEUE_S)
    (dagster_home / "dagster.yaml").write_text(yaml.safe_dump(settings))
    return dagster_home


def wait_until(predicate, timeout: float, what: str, interval: float = 0.5):
    """Poll `predicate` until it returns something truthy; TimeoutError names `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"gave up after {timeout:.0f}s waiting for {what}")


def stop_process_group(process: subprocess.Popen, stragglers: list[psutil.Process]) -> None:
    """SIGKILL `process`'s group and `stragglers` (descendants that left it), and reap `process`."""
    # Straight to SIGKILL: a test's teardown has nothing to keep (its DAGSTER_HOME is a temporary
    # folder). SIGTERM with a 15 s grace, then a wait for the stragglers, took 14-16 s from a file's
    # last assertion to its end (tests/measure_files.py, 2026-12-06).
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    for proc in stragglers:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    process.wait(timeout=30)
    # Not psutil.wait_procs: a straggler is no child of this process, so it stays a zombie until
    # its own parent (or the init/subreaper process) reaps it, and wait_procs took its whole timeout.
    wait_until(lambda: not any(map(_alive, stragglers)), 10, "the killed processes to exit", interval=0.1)


def _alive(proc: psutil.Process) -> bool:
    """Whether `proc` still runs (a zombie has exited: only its parent's reaping is left)."""
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


class WebserverClient:
    """A GraphQL client for a Dagster webserver at `url`, sending what the UI sends."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._http = httpx.Client(timeout=60)

    def close(self) -> None:
        """Close the HTTP client."""
        self._http.close()

    def answers(self) -> bool:
        """Whether the webserver answers /server_info yet."""
        try:
            return self._http.get(f"{self.url}/server_info", timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    def location_loaded(self) -> bool:
        """Whether every code location is loaded; raises with a location's load error."""
        data = self.graphql(
            "{ workspaceOrError { ... on Workspace { locationEntries { "
            "loadStatus locationOrLoadError { __typename ... on PythonError "
            "{ message } } } } } }"
        )
        entries = data["workspaceOrError"]["locationEntries"]
        for entry in entries:
            error = entry["locationOrLoadError"] or {}
            if error.get("__typename") == "PythonError":
                raise RuntimeError(f"code location failed to load: {error['message']}")
        return bool(entries) and all(e["loadStatus"] == "LOADED" for e in entries)

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        """POST a query to /graphql; raises with the server's errors if there are any."""
        answer = self._http.post(f"{self.url}/graphql", json={"query": query, "variables": variables or {}})
        if answer.status_code != 200:
            raise RuntimeError(f"GraphQL HTTP {answer.status_code}: {answer.text[:3000]}")
        body = answer.json()
        if body.get("errors"):
            raise RuntimeError(f"GraphQL errors: {body['errors']}")
        return body["data"]

    def launch_backfill(self, partitions: list[str], assets: list[list[str]] = INGEST_ASSETS, title: str | None = None) -> str:
        """What the asset page's Materialize > partitions dialog sends; returns the backfill id."""
        params = {
            "assetSelection": [{"path": path} for path in assets],
            "partitionNames": partitions,
            "fromFailure": False,
            "tags": [],
            **({"title": title} if title else {}),
        }
        result = self.graphql(LAUNCH_BACKFILL, {"params": params})["launchPartitionBackfill"]
        if result["__typename"] != "LaunchBackfillSuccess":
            raise RuntimeError(f"backfill launch refused: {result}")
        return result["backfillId"]

    def backfill(self, backfill_id: str) -> dict:
        """The backfill's status and per-asset partition counts."""
        result = self.graphql(BACKFILL_STATUS, {"id": backfill_id})["partitionBackfillOrError"]
        if result["__typename"] != "PartitionBackfill":
            raise RuntimeError(f"backfill {backfill_id}: {result}")
        return result

    def runs(self, backfill_id: str) -> list[dict]:
        """Runs of a backfill (retries included), newest first, with their tags as a dict."""
        data = self.graphql(RUNS, {"filter": {"tags": [{"key": "dagster/backfill", "value": backfill_id}]}})
        runs = data["runsOrError"]["results"]
        return [{**run, "tags": {t["key"]: t["value"] for t in run["tags"]}} for run in runs]

    def active_runs(self) -> list[dict]:
        """Runs queued or in progress, of any backfill or none (the automation sensor's too)."""
        data = self.graphql(RUNS, {"filter": {"statuses": ["QUEUED", "NOT_STARTED", "STARTING", "STARTED"]}})
        return data["runsOrError"]["results"]

    def wait_for_backfill(self, backfill_id: str, timeout: float = 420) -> dict:
        """Poll until the backfill and all its runs (and run retries) are finished."""

        def finished():
            status = self.backfill(backfill_id)
            if status["status"] not in BACKFILL_DONE:
                return None
            runs = self.runs(backfill_id)
            return status if all(r["status"] in RUN_DONE for r in runs) else None

        try:
            return wait_until(finished, timeout, f"backfill {backfill_id}", interval=1)
        except TimeoutError as error:
            raise TimeoutError(f"{error}\n{self.backfill(backfill_id)}\n{self.log_tail()}") from None

    def partition_statuses(self, asset: str) -> dict[str, str]:
        """Each partition of `asset` the instance knows a status for: day -> MATERIALIZED|FAILED|..."""
        node = self.graphql(PARTITION_STATUSES, {"key": {"path": [asset]}})["assetNodeOrError"]
        statuses: dict[str, str] = {}
        for entry in node["assetPartitionStatuses"]["ranges"]:
            for day in _days(entry["startKey"], entry["endKey"]):
                statuses[day] = entry["status"]
        return statuses

    def partition_metadata(self, asset: str, partitions: list[str]) -> dict[str, dict]:
        """What the asset page shows for each partition's latest materialization: label -> value
        (int or Markdown; other kinds as None)."""
        node = self.graphql(MATERIALIZATIONS, {"key": {"path": [asset]}, "partitions": partitions})["assetNodeOrError"]
        shown: dict[str, dict] = {}
        for event in node["assetMaterializations"]:  # newest first
            entries = {e["label"]: e.get("intValue", e.get("mdStr")) for e in event["metadataEntries"]}
            shown.setdefault(event["partition"], entries)
        return shown

    def step_statuses(self, run_id: str) -> dict[str, str]:
        """Step key -> status for a run (IN_PROGRESS, SUCCESS, FAILURE, ...)."""
        run = self.graphql(RUN_STEPS, {"runId": run_id})["runOrError"]
        return {step["stepKey"]: step["status"] for step in run.get("stepStats") or []}

    def run_failure_messages(self, run_id: str) -> list[str]:
        """What the run page shows for failed or retried steps: errors, their causes, metadata."""
        events = self.graphql(RUN_EVENTS, {"runId": run_id})["logsForRun"]["events"]
        texts = []
        for event in events:
            if event["__typename"] not in ("ExecutionStepFailureEvent", "ExecutionStepUpForRetryEvent"):
                continue
            error = event.get("error") or {}
            texts += [error.get("message") or "", (error.get("cause") or {}).get("message") or ""]
            entries = (event.get("failureMetadata") or {}).get("metadataEntries") or []
            texts += [e.get("jsonString") or "" for e in entries]
        return [text for text in texts if text]

    def run_worker_pids(self, run_id: str) -> list[int]:
        """The pids the run's worker reported ("Started process for run (pid: N)"), in order."""
        events = self.graphql(RUN_ENGINE_EVENTS, {"runId": run_id})["logsForRun"]["events"]
        return [
            int(entry["text"])
            for event in events
            if event["__typename"] == "EngineEvent" and event["message"].startswith("Started process for run")
            for entry in event["metadataEntries"]
            if entry["label"] == "pid"
        ]

    def log_tail(self, chars: int = 6000) -> str:
        """The end of the servers' own logs, for error messages (none known here)."""
        return ""


class DagsterDev(WebserverClient):
    """A `dagster dev` process group on a free port, with a GraphQL client for it."""

    def __init__(
        self,
        papers_home: Path,
        env: dict[str, str] | None = None,
        profile: Path = SHIPPED_DAGSTER_YAML,
        startup_timeout: float = 180,
    ) -> None:
        self.papers_home = Path(papers_home)
        self.dagster_home = prepare_dagster_home(self.papers_home / "dagster", profile)
        self.port = free_port()
        super().__init__(f"http://127.0.0.1:{self.port}")
        self.log_path = self.papers_home / "dagster-dev.log"
        self.env = {
            **os.environ,
            "PAPERS_HOME": str(self.papers_home),
            "DAGSTER_HOME": str(self.dagster_home),
            **QUICK_TICKS,
            **(env or {}),
        }
        self.env.pop("HF_TOKEN", None) if "HF_TOKEN" not in (env or {}) else None
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen | None = None

    # -- process --------------------------------------------------------------------------
    def start(self) -> DagsterDev:
        """Start `dagster dev` and wait until the webserver answers /server_info."""
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [str(DAGSTER), "dev", *CODE_TARGET, "-h", "127.0.0.1", "-p", str(self.port)],
                cwd=REPO_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(self._ready, self.startup_timeout, f"dagster dev on {self.url}")
        wait_until(self.location_loaded, self.startup_timeout, "the code location to load")
        return self

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"dagster dev exited with {self.process.returncode}:\n{self.log_tail()}")
        return self.answers()

    def log_tail(self, chars: int = 6000) -> str:
        """The end of dagster dev's own log (webserver, daemon, code server)."""
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    def descendants(self) -> list[psutil.Process]:
        """Every live process started under dagster dev."""
        try:
            return psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def stop(self) -> None:
        """SIGKILL the process group and whatever left it (escapees)."""
        if self.process is None:
            return
        stop_process_group(self.process, self.descendants())
        self.close()
        self.process = None

    def __enter__(self) -> DagsterDev:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc_info) -> None:
        self.stop()


def _days(start: str, end: str) -> list[str]:
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    return [(first + timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


# -- what the server serves and what the published warehouse holds --------------------------
def served_papers(days_dir: Path, days) -> dict[str, tuple[str, int]]:
    """paper_id -> (listing date, number of authors), as the fake server serves those days."""
    import json

    from hf_api.sample_replay import day_file

    served = {}
    for day in days:
        day = date.fromisoformat(day) if isinstance(day, str) else day
        for item in json.loads(day_file(days_dir, day).read_text()):
            served[item["paper"]["id"]] = (str(day), len(item["paper"]["authors"]))
    return served


def published_papers(papers_home: Path) -> dict[str, tuple[str, int]]:
    """paper_id -> (listing date, author slots) in the published warehouse, opened read-only."""
    import duckdb

    with duckdb.connect(str(papers_home / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute(
            "SELECT p.paper_id, p.listing_date::VARCHAR, count(pa.position) FROM papers p "
            "LEFT JOIN paper_authors pa USING (paper_id) GROUP BY ALL"
        ).fetchall()
    return {paper_id: (day, slots) for paper_id, day, slots in rows}


def published_counts(papers_home: Path) -> dict[str, int]:
    """Row counts of the core tables in the published warehouse (duplicates would show here)."""
    import duckdb

    tables = ("papers", "authors", "paper_authors", "votes", "partition_loads")
    with duckdb.connect(str(papers_home / "warehouse.duckdb"), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables}


def search_covers_every_paper(papers_home) -> bool:
    """Whether the published search index has rows for every published paper."""
    import duckdb

    with duckdb.connect(str(papers_home / "warehouse.duckdb"), read_only=True) as con:
        indexed, papers = con.execute(
            "SELECT (SELECT count(DISTINCT paper_id) FROM search_index), (SELECT count(*) FROM papers)"
        ).fetchall()[0]
    return papers > 0 and indexed == papers


def processes_holding(path: Path, processes: list[psutil.Process]) -> list[psutil.Process]:
    """The processes among `processes` that have `path` open right now."""
    holders = []
    for proc in processes:
        try:
            if any(Path(f.path) == path for f in proc.open_files()):
                holders.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return holders
