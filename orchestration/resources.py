"""Dagster resources, configured from the project's `Settings` and nothing else."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from hf_api.client import HFClient
from hf_api.config import client_from_settings
from hf_api.defaults import (
    DEFAULT_BACKOFF_MAX_S,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_REQUESTS_PER_SECOND,
)
from hf_api.limits import FetchLimits
from papers_settings import Settings
from warehouse.paths import DuckLakeLocation, WarehousePaths

_LIMITS = FetchLimits()


class HFApiResource(dg.ConfigurableResource):
    """The HF Daily Papers API. `base_url="sample"` replays the bundled sample days offline.

    Every field comes from `Settings` (resources_from_settings); the defaults are the client's.
    """

    base_url: str = DEFAULT_BASE_URL
    token: str | None = None
    requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    backoff_max_s: float = DEFAULT_BACKOFF_MAX_S
    request_deadline_s: float = _LIMITS.request_deadline_s
    max_body_bytes: int = _LIMITS.max_body_bytes
    max_pages_per_day: int = _LIMITS.max_pages
    max_retry_wait_per_day_s: float = _LIMITS.max_retry_wait_s

    def client(self) -> HFClient:
        """A new client; use it as a context manager."""
        limits = FetchLimits(self.request_deadline_s, self.max_body_bytes, self.max_pages_per_day, self.max_retry_wait_per_day_s)
        # strip(): an EnvVar reaches here as the raw variable; Settings applied the same rule.
        return client_from_settings(
            Settings(
                hf_api_base_url=self.base_url.strip(),
                hf_token=self.token.strip() if self.token else None,
                hf_requests_per_second=self.requests_per_second,
                hf_max_attempts=self.max_attempts,
                hf_backoff_max_s=self.backoff_max_s,
                hf_limits=limits,
            )
        )


class WarehouseResource(dg.ConfigurableResource):
    """Where raw files, the working warehouse and the published snapshot live (warehouse.paths);
    with both ducklake fields set the warehouse is that DuckLake (warehouse/ducklake.py)."""

    papers_home: str
    ducklake_catalog: str | None = None
    ducklake_data_path: str | None = None

    @property
    def paths(self) -> WarehousePaths:
        lake = None
        if self.ducklake_catalog and self.ducklake_data_path:
            # strip(): an EnvVar reaches here as the raw variable; Settings applied the same rule.
            lake = DuckLakeLocation(self.ducklake_catalog.strip(), self.ducklake_data_path.strip())
        return WarehousePaths(Path(self.papers_home), lake)

    @property
    def home(self) -> Path:
        return Path(self.papers_home)

    @property
    def raw_dir(self) -> Path:
        return self.paths.raw_dir

    @property
    def working_path(self) -> Path:
        return self.paths.working_path

    @property
    def published_path(self) -> Path:
        return self.paths.published_path


def resources_from_settings(settings: Settings) -> dict[str, dg.ConfigurableResource]:
    """The resources for `settings` (HF_API_BASE_URL, HF_TOKEN, HF_* numbers, PAPERS_HOME,
    PAPERS_DUCKLAKE_*)."""
    # The token and the base URL go to Dagster by reference (EnvVar: Dagster reads the variable
    # itself when the resource is built), so neither a token nor a user:password in the URL
    # reaches Dagster's config display or storage. Settings has checked both values already.
    token = dg.EnvVar("HF_TOKEN") if settings.hf_token else None
    base_url = dg.EnvVar("HF_API_BASE_URL") if settings.hf_api_base_url != DEFAULT_BASE_URL else None
    return {
        "hf_api": HFApiResource(
            base_url=base_url or DEFAULT_BASE_URL,
            token=token,
            requests_per_second=settings.hf_requests_per_second,
            max_attempts=settings.hf_max_attempts,
            backoff_max_s=settings.hf_backoff_max_s,
            request_deadline_s=settings.hf_limits.request_deadline_s,
            max_body_bytes=settings.hf_limits.max_body_bytes,
            max_pages_per_day=settings.hf_limits.max_pages,
            max_retry_wait_per_day_s=settings.hf_limits.max_retry_wait_s,
        ),
        "warehouse": WarehouseResource(
            papers_home=str(settings.papers_home),
            # by reference, like the token: a catalog string may hold a password
            ducklake_catalog=dg.EnvVar("PAPERS_DUCKLAKE_CATALOG") if settings.ducklake else None,
            ducklake_data_path=settings.ducklake.data_path if settings.ducklake else None,
        ),
    }
