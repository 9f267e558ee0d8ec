"""resources_from_settings: every HF setting reaches the client the assets use."""

from __future__ import annotations

from pathlib import Path

from hf_api.config import SAMPLE_BASE_URL
from hf_api.limits import FetchLimits
from orchestration.resources import resources_from_settings
from papers_settings import Settings

ENV = {
    "PAPERS_HOME": "/srv/papers",
    "HF_MAX_ATTEMPTS": "3",
    "HF_BACKOFF_MAX_S": "7.5",
    "HF_REQUESTS_PER_SECOND": "0.5",
    "HF_REQUEST_DEADLINE_S": "12.5",
    "HF_MAX_BODY_BYTES": "1000",
    "HF_MAX_PAGES_PER_DAY": "4",
    "HF_MAX_RETRY_WAIT_PER_DAY_S": "0",
}


def test_the_client_gets_every_hf_setting():
    resources = resources_from_settings(Settings.from_env(ENV))
    with resources["hf_api"].client() as client:
        assert client.limits == FetchLimits(12.5, 1000, 4, 0.0)
        assert client.retry_policy.max_attempts == 3
        assert client.retry_policy.backoff_max_s == 7.5
        assert client.rate_limiter.interval_s == 2.0
        assert client.base_url == "https://huggingface.co"


def test_the_warehouse_resource_uses_papers_home_and_the_warehouse_paths():
    warehouse = resources_from_settings(Settings.from_env(ENV))["warehouse"]
    assert warehouse.published_path == Path("/srv/papers/warehouse.duckdb")
    assert warehouse.working_path == Path("/srv/papers/work/warehouse.duckdb")
    assert warehouse.raw_dir == Path("/srv/papers/raw/daily_papers")


def test_the_sample_base_url_replays_in_process(monkeypatch):
    monkeypatch.setenv("HF_API_BASE_URL", "sample")  # an EnvVar: Dagster reads it when the resource is built
    resource = resources_from_settings(Settings.from_env())["hf_api"]
    import dagster as dg

    with dg.build_resources({"hf_api": resource}) as built, built.hf_api.client() as client:
        assert client.base_url == SAMPLE_BASE_URL
