"""`Settings`: every environment variable the product reads, read once, checked, with its default.

docs/configuration.md has the table of variables. `Settings.from_env()` is the only place the
product reads its configuration from the environment; everything else takes a `Settings`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

from hf_api.defaults import (
    DEFAULT_BACKOFF_MAX_S,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_REQUESTS_PER_SECOND,
    SAMPLE,
)
from hf_api.limits import (
    MAX_BODY_BYTES_ENV,
    MAX_PAGES_ENV,
    MAX_RETRY_WAIT_ENV,
    REQUEST_DEADLINE_ENV,
    FetchLimits,
)
from papers_settings import values
from warehouse.paths import DuckLakeLocation, WarehousePaths

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAPERS_HOME = REPO_ROOT / "data"
DEFAULT_FRESHNESS_HOUR_UTC = 6
DEFAULT_DASHBOARD_HOST = "127.0.0.1"
DEFAULT_DAGSTER_UI_URL = "http://127.0.0.1:3000"

FRESHNESS_HOUR_ENV = "PAPERS_FRESHNESS_HOUR_UTC"
SQL_CONSOLE_ENV = "PAPERS_SQL_CONSOLE"
DUCKLAKE_CATALOG_ENV = "PAPERS_DUCKLAKE_CATALOG"
DUCKLAKE_DATA_PATH_ENV = "PAPERS_DUCKLAKE_DATA_PATH"


@dataclass(frozen=True)
class Settings:
    """The product's configuration. Build it with `from_env()`; tests may build it directly.

    papers_home: an absolute folder; dagster_folder: DAGSTER_HOME as given (None = the default,
    see `dagster_home`).
    hf_*: how the HF client reaches the API (base URL "sample" = the bundled days, offline).
    sql_console: PAPERS_SQL_CONSOLE as given (None = auto); the dashboard judges it, so a bad
    value turns the console off with a message instead of stopping the whole dashboard.
    ducklake: the DuckLake warehouse (PAPERS_DUCKLAKE_CATALOG and PAPERS_DUCKLAKE_DATA_PATH);
    None = the local DuckDB file.
    """

    papers_home: Path = DEFAULT_PAPERS_HOME
    dagster_folder: Path | None = None
    hf_api_base_url: str = DEFAULT_BASE_URL
    hf_token: str | None = field(default=None, repr=False)
    hf_requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND
    hf_max_attempts: int = DEFAULT_MAX_ATTEMPTS
    hf_backoff_max_s: float = DEFAULT_BACKOFF_MAX_S
    hf_limits: FetchLimits = field(default_factory=FetchLimits)
    freshness_hour_utc: int = DEFAULT_FRESHNESS_HOUR_UTC
    sql_console: str | None = None
    dashboard_host: str = DEFAULT_DASHBOARD_HOST
    dagster_ui_url: str = DEFAULT_DAGSTER_UI_URL
    ducklake: DuckLakeLocation | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from `environ` (default `os.environ`); raises SettingsError naming the
        variable whose value is unusable. Empty values count as unset everywhere."""
        env = os.environ if environ is None else environ
        home_text = values.text(env, "PAPERS_HOME")
        papers_home = Path(home_text).resolve() if home_text else DEFAULT_PAPERS_HOME.resolve()
        dagster_text = values.text(env, "DAGSTER_HOME")
        default_limits = FetchLimits()
        return cls(
            papers_home=papers_home,
            dagster_folder=Path(dagster_text).resolve() if dagster_text else None,
            hf_api_base_url=values.http_url(env, "HF_API_BASE_URL", DEFAULT_BASE_URL, also=SAMPLE),
            hf_token=values.text(env, "HF_TOKEN"),
            hf_requests_per_second=values.number(env, "HF_REQUESTS_PER_SECOND", DEFAULT_REQUESTS_PER_SECOND, 0),
            hf_max_attempts=values.whole_number(env, "HF_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS, 1),
            hf_backoff_max_s=values.number(env, "HF_BACKOFF_MAX_S", DEFAULT_BACKOFF_MAX_S, 0),
            hf_limits=FetchLimits(
                request_deadline_s=values.number(env, REQUEST_DEADLINE_ENV, default_limits.request_deadline_s, 0, above=True),
                max_body_bytes=values.whole_number(env, MAX_BODY_BYTES_ENV, default_limits.max_body_bytes, 1),
                max_pages=values.whole_number(env, MAX_PAGES_ENV, default_limits.max_pages, 1),
                max_retry_wait_s=values.number(env, MAX_RETRY_WAIT_ENV, default_limits.max_retry_wait_s, 0),
            ),
            freshness_hour_utc=values.hour(env, FRESHNESS_HOUR_ENV, DEFAULT_FRESHNESS_HOUR_UTC),
            sql_console=values.text(env, SQL_CONSOLE_ENV),
            dashboard_host=values.text(env, "PAPERS_DASHBOARD_HOST") or DEFAULT_DASHBOARD_HOST,
            dagster_ui_url=values.http_url(env, "DAGSTER_UI_URL", DEFAULT_DAGSTER_UI_URL).rstrip("/"),
            ducklake=ducklake_location(env),
        )

    @property
    def dagster_home(self) -> Path:
        """Dagster's instance folder: DAGSTER_HOME, else `<papers_home>/dagster`."""
        return self.dagster_folder if self.dagster_folder is not None else Path(self.papers_home) / "dagster"

    @property
    def warehouse(self) -> WarehousePaths:
        """The warehouse files under `papers_home`."""
        return WarehousePaths(self.papers_home, self.ducklake)

    @property
    def uses_sample(self) -> bool:
        """True when the HF API is the bundled sample replay (HF_API_BASE_URL=sample)."""
        return self.hf_api_base_url == SAMPLE


def ducklake_location(env: Mapping[str, str]) -> DuckLakeLocation | None:
    """The DuckLake warehouse the two variables name, None when both are unset; one without the
    other is an error naming the missing one."""
    catalog, data_path = values.text(env, DUCKLAKE_CATALOG_ENV), values.text(env, DUCKLAKE_DATA_PATH_ENV)
    if catalog is None and data_path is None:
        return None
    if catalog is None or data_path is None:
        given, missing = (
            (DUCKLAKE_CATALOG_ENV, DUCKLAKE_DATA_PATH_ENV)
            if data_path is None
            else (DUCKLAKE_DATA_PATH_ENV, DUCKLAKE_CATALOG_ENV)
        )
        raise values.SettingsError(
            f"{given} is set but {missing} is not: a DuckLake warehouse needs both (unset both for the local file)"
        )
    if catalog.startswith("ducklake:"):
        raise values.SettingsError(
            f"{DUCKLAKE_CATALOG_ENV} is the part after 'ducklake:' in ATTACH, without that prefix "
            "(e.g. 'postgres:dbname=papers host=/run/postgresql')"
        )
    if "://" not in data_path:
        data_path = str(Path(data_path).resolve())
    return DuckLakeLocation(catalog=catalog, data_path=data_path)


def default_to_sample(environ: MutableMapping[str, str] | None = None) -> Settings:
    """Set HF_API_BASE_URL=sample in `environ` (default `os.environ`) unless it is set, and return
    the Settings it then gives (`papers up` without --live).

    Written into the environment, not only into the returned Settings, because the Dagster code
    location (loaded in this process for the load, and by the `dagster dev` child) builds its own
    Settings from the environment.
    """
    env = os.environ if environ is None else environ
    if values.text(env, "HF_API_BASE_URL") is None:
        env["HF_API_BASE_URL"] = SAMPLE
    return Settings.from_env(env)
