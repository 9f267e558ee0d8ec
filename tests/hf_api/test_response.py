"""Reading server wait hints and judging bodies, on hand-made values."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from hf_api.errors import AttemptFailure
from hf_api.response import (
    failure_for_request_error,
    failure_for_status,
    parse_items,
    ratelimit_reset_seconds,
    retry_after_seconds,
)

NOW = datetime(2026, 11, 26, 10, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("5", 5.0),  # delta-seconds
        (" 1.5 ", 1.5),  # fractional, padded: tolerated
        ("Thu, 26 Nov 2026 10:00:30 GMT", 30.0),  # HTTP-date 30 s after NOW
        ("Thu, 26 Nov 2026 09:59:00 GMT", 0.0),  # a date in the past means "now", not negative
        ("-3", 0.0),  # negative delta clamps to 0
        ("soon", None),  # unusable: fall back to RateLimit or backoff
        ("", None),
        (None, None),
    ],
)
def test_retry_after_seconds(value, seconds):
    assert retry_after_seconds(value, NOW) == seconds


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ('"api";r=0;t=55', 55.0),  # HF's header, as documented in the brief
        ('"api";r=12;t=3', 3.0),  # remaining quota does not matter: t is the reset
        ("limit=10, remaining=0, reset=42", 42.0),  # older draft spelling
        ('"api";r=0', None),  # no reset given
        (None, None),
    ],
)
def test_ratelimit_reset_seconds(value, seconds):
    assert ratelimit_reset_seconds(value) == seconds


def test_retry_after_wins_over_ratelimit_and_sets_retry_at():
    response = httpx.Response(429, headers={"Retry-After": "10", "RateLimit": '"api";r=0;t=55'})
    failure = failure_for_status(response, NOW)
    assert (failure.server_wait_s, failure.retry_at, failure.retryable) == (
        10.0,
        datetime(2026, 11, 26, 10, 0, 10, tzinfo=UTC),
        True,
    )


@pytest.mark.parametrize(
    ("status", "retryable", "kind"),
    [
        (200, None, None),  # success: no failure
        (408, True, "request timeout"),
        (429, True, "rate limited"),
        (502, True, "server error 502"),
        (401, False, "HTTP 401 (not retried)"),  # a bad token will not fix itself
        (301, False, "HTTP 301 (not retried)"),  # redirects are not followed
    ],
)
def test_status_classification(status, retryable, kind):
    failure = failure_for_status(httpx.Response(status), NOW)
    got = (failure.retryable, failure.kind) if failure else (None, None)
    assert got == (retryable, kind)


@pytest.mark.parametrize(
    ("body", "content_type", "kind"),
    [
        (b"<html>", "text/html", "response is not a JSON array (looks like an HTML page)"),
        (b"  <!DOCTYPE html>", "application/json", "looks like an HTML page"),  # mislabelled
        (b'[{"paper": {"id"', "application/json", "is not valid JSON (16 bytes"),
        (b'{"error": "x"}', "application/json", "(got a JSON object)"),
        (b'[{"paper": {}}, "x"]', "application/json", "a JSON string at index 1, not an object"),
    ],
)
def test_bad_bodies_are_bad_payload_failures(body, content_type, kind):
    with pytest.raises(AttemptFailure) as raised:
        parse_items(body, content_type)
    assert kind in raised.value.kind
    assert raised.value.bad_payload and raised.value.retryable


def test_good_body_gives_the_items():
    assert parse_items(b'[{"paper": {"id": "2405.00001"}}]', "application/json") == [{"paper": {"id": "2405.00001"}}]


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (httpx.ReadTimeout("read"), "timed out"),
        (httpx.ConnectTimeout("connect"), "timed out"),
        (httpx.RemoteProtocolError("peer closed"), "connection closed before the whole response arrived"),
        (httpx.ConnectError("refused"), "connection error (ConnectError)"),
        (httpx.DecodingError("gzip"), "response body could not be decoded (bad Content-Encoding)"),
    ],
)
def test_request_errors_are_retryable_failures_without_status(error, kind):
    failure = failure_for_request_error(error)
    assert (failure.kind, failure.status, failure.retryable) == (kind, None, True)
