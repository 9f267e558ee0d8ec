"""Settings.from_env: defaults, one error per unusable value, and empty = unset everywhere."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from hf_api.limits import FetchLimits
from papers_settings import REPO_ROOT, Settings, SettingsError
from warehouse.paths import DuckLakeLocation

# Every variable Settings reads, with a valid value unlike its default.
VALID = {
    "PAPERS_HOME": "/srv/papers",
    "DAGSTER_HOME": "/srv/dagster",
    "HF_API_BASE_URL": "http://127.0.0.1:9999",
    "HF_TOKEN": "hf_abc",
    "HF_REQUESTS_PER_SECOND": "0.5",
    "HF_MAX_ATTEMPTS": "3",
    "HF_BACKOFF_MAX_S": "7.5",
    "HF_REQUEST_DEADLINE_S": "12.5",
    "HF_MAX_BODY_BYTES": "1000",
    "HF_MAX_PAGES_PER_DAY": "4",
    "HF_MAX_RETRY_WAIT_PER_DAY_S": "0",
    "PAPERS_FRESHNESS_HOUR_UTC": "9",
    "PAPERS_SQL_CONSOLE": "on",
    "PAPERS_DASHBOARD_HOST": "0.0.0.0",
    "DAGSTER_UI_URL": "http://127.0.0.1:4000/",
    "PAPERS_DUCKLAKE_CATALOG": "postgres:dbname=papers host=/run/postgresql",
    "PAPERS_DUCKLAKE_DATA_PATH": "/srv/lake",
}


def test_an_empty_environment_gives_the_documented_defaults():
    settings = Settings.from_env({})
    assert settings.papers_home == (REPO_ROOT / "data").resolve()
    assert settings.dagster_home == (REPO_ROOT / "data" / "dagster").resolve()
    assert settings.hf_api_base_url == "https://huggingface.co" and settings.hf_token is None
    assert (settings.hf_requests_per_second, settings.hf_max_attempts, settings.hf_backoff_max_s) == (2.0, 6, 60.0)
    assert settings.hf_limits == FetchLimits(60.0, 16 * 1024 * 1024, 10, 240.0)
    assert settings.freshness_hour_utc == 6 and settings.sql_console is None
    assert settings.dashboard_host == "127.0.0.1"
    assert settings.dagster_ui_url == "http://127.0.0.1:3000"
    assert settings.ducklake is None and settings.warehouse.ducklake is None  # the local file


def test_every_variable_is_read():
    settings = Settings.from_env(VALID)
    assert settings.papers_home == Path("/srv/papers") and settings.dagster_home == Path("/srv/dagster")
    assert settings.hf_api_base_url == "http://127.0.0.1:9999" and settings.hf_token == "hf_abc"
    assert (settings.hf_requests_per_second, settings.hf_max_attempts, settings.hf_backoff_max_s) == (0.5, 3, 7.5)
    assert settings.hf_limits == FetchLimits(12.5, 1000, 4, 0.0)
    assert settings.freshness_hour_utc == 9 and settings.sql_console == "on"
    assert settings.dashboard_host == "0.0.0.0"
    assert settings.dagster_ui_url == "http://127.0.0.1:4000"  # no trailing slash in links
    assert settings.warehouse.ducklake == DuckLakeLocation("postgres:dbname=papers host=/run/postgresql", "/srv/lake")


def test_the_default_dagster_home_is_inside_papers_home():
    assert Settings.from_env({"PAPERS_HOME": "/srv/papers"}).dagster_home == Path("/srv/papers/dagster")
    assert Settings(papers_home=Path("/x")).dagster_home == Path("/x/dagster")


@pytest.mark.parametrize("empty", ["", "   "])
def test_an_empty_value_counts_as_unset_for_every_variable(empty):
    assert Settings.from_env({name: empty for name in VALID}) == Settings.from_env({})


def test_surrounding_spaces_are_dropped():
    assert Settings.from_env({"HF_MAX_ATTEMPTS": " 3 ", "HF_TOKEN": " hf_abc\n"}).hf_max_attempts == 3
    assert Settings.from_env({"HF_TOKEN": " hf_abc\n"}).hf_token == "hf_abc"


def test_sample_is_a_base_url():
    settings = Settings.from_env({"HF_API_BASE_URL": "sample"})
    assert settings.uses_sample and settings.hf_api_base_url == "sample"
    assert not Settings.from_env({}).uses_sample


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("HF_MAX_ATTEMPTS", "abc", "HF_MAX_ATTEMPTS='abc' is not a whole number >= 1"),
        ("HF_MAX_ATTEMPTS", "0", "HF_MAX_ATTEMPTS='0' is not a whole number >= 1"),
        ("HF_MAX_ATTEMPTS", "2.5", "HF_MAX_ATTEMPTS='2.5' is not a whole number >= 1"),
        ("HF_REQUESTS_PER_SECOND", "fast", "HF_REQUESTS_PER_SECOND='fast' is not a number >= 0"),
        ("HF_REQUESTS_PER_SECOND", "-1", "HF_REQUESTS_PER_SECOND='-1' is not a number >= 0"),
        ("HF_BACKOFF_MAX_S", "nan", "HF_BACKOFF_MAX_S='nan' is not a number >= 0"),
        ("HF_REQUEST_DEADLINE_S", "soon", "HF_REQUEST_DEADLINE_S='soon' is not a number > 0"),
        ("HF_REQUEST_DEADLINE_S", "0", "HF_REQUEST_DEADLINE_S='0' is not a number > 0"),
        ("HF_MAX_BODY_BYTES", "1MB", "HF_MAX_BODY_BYTES='1MB' is not a whole number >= 1"),
        ("HF_MAX_PAGES_PER_DAY", "0", "HF_MAX_PAGES_PER_DAY='0' is not a whole number >= 1"),
        ("HF_MAX_RETRY_WAIT_PER_DAY_S", "-1", "HF_MAX_RETRY_WAIT_PER_DAY_S='-1' is not a number >= 0"),
        ("HF_MAX_RETRY_WAIT_PER_DAY_S", "inf", "HF_MAX_RETRY_WAIT_PER_DAY_S='inf' is not a number >= 0"),
        ("PAPERS_FRESHNESS_HOUR_UTC", "24", "PAPERS_FRESHNESS_HOUR_UTC='24' is not a whole hour from 0 to 23"),
        ("PAPERS_FRESHNESS_HOUR_UTC", "6am", "PAPERS_FRESHNESS_HOUR_UTC='6am' is not a whole hour from 0 to 23"),
        (
            "HF_API_BASE_URL",
            "huggingface.co",
            "HF_API_BASE_URL='huggingface.co' must start with http:// or https:// \\(or be 'sample'",
        ),
        ("DAGSTER_UI_URL", "localhost:3000", "DAGSTER_UI_URL='localhost:3000' must start with http:// or https://"),
        ("PAPERS_DUCKLAKE_CATALOG", "postgres:dbname=x", "PAPERS_DUCKLAKE_CATALOG is set but PAPERS_DUCKLAKE_DATA_PATH is not"),
        ("PAPERS_DUCKLAKE_DATA_PATH", "/srv/lake", "PAPERS_DUCKLAKE_DATA_PATH is set but PAPERS_DUCKLAKE_CATALOG is not"),
    ],
)
def test_an_unusable_value_is_a_clear_error_naming_the_variable(name, value, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({name: value})


def test_the_ducklake_catalog_is_given_without_the_ducklake_prefix_and_never_shown_with_its_password():
    with pytest.raises(SettingsError, match="PAPERS_DUCKLAKE_CATALOG is the part after 'ducklake:'"):
        Settings.from_env({"PAPERS_DUCKLAKE_CATALOG": "ducklake:postgres:dbname=x", "PAPERS_DUCKLAKE_DATA_PATH": "/srv/lake"})
    settings = Settings.from_env(
        {"PAPERS_DUCKLAKE_CATALOG": "postgres:dbname=x password=s3cret", "PAPERS_DUCKLAKE_DATA_PATH": "lake"}
    )
    assert settings.warehouse.ducklake is not None and settings.warehouse.ducklake.data_path == str(Path("lake").resolve())
    assert "s3cret" not in settings.warehouse.ducklake.describe() and "s3cret" not in repr(settings)


def test_the_error_is_a_value_error_and_never_shows_a_password():
    with pytest.raises(ValueError) as raised:
        Settings.from_env({"HF_API_BASE_URL": "ftp://alice:s3cret@example.com"})
    assert "s3cret" not in str(raised.value) and "ftp://***@example.com" in str(raised.value)


def test_settings_are_frozen_and_hide_the_token():
    settings = Settings.from_env({"HF_TOKEN": "hf_secret"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.hf_max_attempts = 1  # type: ignore[misc]
    assert "hf_secret" not in repr(settings)


def test_the_warehouse_paths_are_under_papers_home():
    paths = Settings.from_env({"PAPERS_HOME": "/srv/papers"}).warehouse
    assert paths.published_path == Path("/srv/papers/warehouse.duckdb")
    assert paths.working_path == Path("/srv/papers/work/warehouse.duckdb")
    assert paths.raw_dir == Path("/srv/papers/raw/daily_papers")
    assert paths.listings_dir == Path("/srv/papers/listings")


def test_the_process_environment_is_the_default(monkeypatch):
    monkeypatch.setenv("HF_MAX_ATTEMPTS", "4")
    assert Settings.from_env().hf_max_attempts == 4


class RecordingEnviron(dict):
    """An empty environment that remembers which names were asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[str] = set()

    def get(self, name, default=None):
        self.asked.add(name)
        return super().get(name, default)


def test_the_configuration_table_lists_exactly_the_variables_settings_reads():
    environ = RecordingEnviron()
    Settings.from_env(environ)
    table = (REPO_ROOT / "docs" / "configuration.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", table, flags=re.MULTILINE))
    assert documented == environ.asked == set(VALID)
