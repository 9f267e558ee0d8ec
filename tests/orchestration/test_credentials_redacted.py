"""A user:password in HF_API_BASE_URL, and the token, are used for requests but never written:
not in raw manifests, failure records, errors, logs, reprs or Dagster's definitions snapshot."""

from __future__ import annotations

import base64
import json
import logging
from datetime import date

import pytest

from hf_api.client import HFClient
from hf_api.sample_replay import day_file
from hf_api.testing.fake_server import FakeHFServer
from hf_api.url_redaction import redact_userinfo
from papers_settings import Settings, SettingsError
from pipeline.fetch_days import fetch_and_land

GOOD, BAD = date(2024, 5, 27), date(2024, 5, 28)
PASSWORD, TOKEN = "s3cretPassw0rd", "hf_SecretToken987"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://alice:pw@example.com:8443/api?x=1", "https://***@example.com:8443/api?x=1"),
        ("https://token@example.com", "https://***@example.com"),
        ("http://a:b@c@example.com/p", "http://***@example.com/p"),  # '@' inside the password
        ("https://huggingface.co", "https://huggingface.co"),
        ("https://example.com/path@not-userinfo", "https://example.com/path@not-userinfo"),
        ("sample", "sample"),
        ("http://a:b@[::1", "***"),  # not a URL urlsplit can take apart: nothing of it is kept
    ],
)
def test_redact_userinfo(url, shown):
    assert redact_userinfo(url) == shown


def test_manifests_failures_errors_and_logs_hold_no_credentials(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    day_file(tmp_path / "served", GOOD).parent.mkdir(parents=True)
    day_file(tmp_path / "served", GOOD).write_text(json.dumps([{"paper": {"id": "2405.1"}}]))
    raw_dir = tmp_path / "raw"
    faults = {BAD.isoformat(): "always:503"}
    with FakeHFServer(tmp_path / "served", faults=faults) as server:
        base = server.base_url.replace("http://", f"http://alice:{PASSWORD}@")
        client = HFClient(base, token=TOKEN, requests_per_second=None, max_attempts=2, backoff_base_s=0.01, backoff_max_s=0.01)
        with client:
            outcome = fetch_and_land(client, raw_dir, [GOOD, BAD], "run-1", None, logging.getLogger("test"))
            shown = repr(client)
    assert sorted(outcome.landed) == [GOOD] and sorted(outcome.failures) == [BAD]
    assert all(r.authorized for r in server.requests)  # the credentials were still sent
    manifest = json.loads((outcome.landed[GOOD].folder / "manifest.json").read_text())
    assert manifest["url"] == (
        server.base_url.replace("http://", "http://***@") + "/api/daily_papers?date=2024-05-27&limit=100&p=0"
    )
    assert "***@" in outcome.failures[BAD] and "503" in outcome.failures[BAD]
    written = [p.read_text() for p in raw_dir.rglob("*") if p.is_file()]
    assert any("last_error" in str(p) for p in raw_dir.rglob("*"))
    for text in [*written, caplog.text, shown, outcome.failures[BAD]]:
        assert PASSWORD not in text and TOKEN not in text and "alice" not in text


def test_a_bad_base_url_error_does_not_echo_the_password():
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"HF_API_BASE_URL": f"ftp://alice:{PASSWORD}@example.com"})
    assert PASSWORD not in str(raised.value) and "ftp://***@example.com" in str(raised.value)


def test_dagster_definitions_hold_the_base_url_by_reference(monkeypatch, papers_home):
    # Dagster keeps resource config in its definitions snapshot (the UI's resource page, the
    # run storage); an EnvVar is stored by name, a plain string by value.
    import dagster as dg
    from dagster._core.remote_representation.external_data import RepositorySnap
    from dagster_shared.serdes import serialize_value

    from orchestration.ingest.daily_papers import daily_papers
    from orchestration.resources import resources_from_settings

    monkeypatch.setenv("HF_API_BASE_URL", f"https://alice:{PASSWORD}@example.com")
    defs = dg.Definitions(assets=[daily_papers], resources=resources_from_settings(Settings.from_env()))
    snapshot = serialize_value(RepositorySnap.from_def(defs.get_repository_def()))
    assert PASSWORD not in snapshot and "HF_API_BASE_URL" in snapshot


def test_the_user_and_password_still_authenticate_as_basic_auth():
    import httpx

    seen = []

    def app(environ, start_response):
        seen.append((environ.get("HTTP_AUTHORIZATION"), environ.get("HTTP_HOST")))
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b"[]"]

    base = "http://alice:p%40ss@hf.test"  # a percent-encoded '@' in the password
    with HFClient(base, transport=httpx.WSGITransport(app=app), requests_per_second=None) as client:
        client.fetch_day(GOOD)
    assert seen == [("Basic " + base64.b64encode(b"alice:p@ss").decode(), "hf.test")]
