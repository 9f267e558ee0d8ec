"""Dagster resources: configuration from the environment, nothing else."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from orchestration.hf_client import HFClient
from warehouse import settings


class HFApiResource(dg.ConfigurableResource):
    """The HF Daily Papers API. `base_url="sample"` replays the bundled sample days offline."""

    base_url: str = "https://huggingface.co"
    token: str | None = None
    requests_per_second: float = 2.0
    max_attempts: int = 6
    backoff_max_s: float = 60.0

    def client(self) -> HFClient:
        """A new client; use it as a context manager."""
        return HFClient.from_env(
            base_url=self.base_url,
            token=self.token,
            requests_per_second=self.requests_per_second,
            max_attempts=self.max_attempts,
            backoff_max_s=self.backoff_max_s,
        )


class WarehouseResource(dg.ConfigurableResource):
    """Where raw files, the working warehouse and the published snapshot live."""

    papers_home: str

    @property
    def home(self) -> Path:
        return Path(self.papers_home)

    @property
    def raw_dir(self) -> Path:
        return self.home / "raw" / "daily_papers"

    @property
    def working_path(self) -> Path:
        return self.home / "work" / "warehouse.duckdb"

    @property
    def published_path(self) -> Path:
        return self.home / "warehouse.duckdb"


def resources_from_env() -> dict[str, dg.ConfigurableResource]:
    """Resources configured from HF_API_BASE_URL, HF_TOKEN and PAPERS_HOME (see README)."""
    token = dg.EnvVar("HF_TOKEN") if os.environ.get("HF_TOKEN") else None
    # Like the token, by reference: a user:password in the URL must not reach Dagster's config
    # display or storage.
    base_url = dg.EnvVar("HF_API_BASE_URL") if os.environ.get("HF_API_BASE_URL") else None
    return {
        "hf_api": HFApiResource(
            base_url=base_url or "https://huggingface.co",
            token=token,
            requests_per_second=float(os.environ.get("HF_REQUESTS_PER_SECOND", "2.0")),
            max_attempts=int(os.environ.get("HF_MAX_ATTEMPTS", "6")),
            backoff_max_s=float(os.environ.get("HF_BACKOFF_MAX_S", "60")),
        ),
        "warehouse": WarehouseResource(papers_home=str(settings.papers_home())),
    }
