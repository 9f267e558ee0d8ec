"""Judging one HF API answer: is it a page of items, a retryable failure, or a final one?

Also reads how long the server asks us to wait: `Retry-After` (seconds or an HTTP-date), else
HF's `RateLimit` header (`"api";r=0;t=55` means the window resets in 55 s).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import httpx
import orjson

from hf_api.errors import AttemptFailure

_RATELIMIT_RESET_RE = re.compile(r"(?:^|[;,\s])(?:t|reset)\s*=\s*(\d+(?:\.\d+)?)")


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a `Retry-After` value (delta-seconds or HTTP-date); None if unusable."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def ratelimit_reset_seconds(value: str | None) -> float | None:
    """Seconds until the window resets, from HF's `RateLimit` header; None if absent."""
    if not value:
        return None
    match = _RATELIMIT_RESET_RE.search(value)
    return float(match.group(1)) if match else None


def server_wait_seconds(headers: httpx.Headers, now: datetime) -> float | None:
    """The wait the server asked for: `Retry-After` first, else `RateLimit`'s reset."""
    wait = retry_after_seconds(headers.get("retry-after"), now)
    return wait if wait is not None else ratelimit_reset_seconds(headers.get("ratelimit"))


def failure_for_status(response: httpx.Response, now: datetime) -> AttemptFailure | None:
    """An AttemptFailure for a non-2xx answer (retryable for 408, 429, 5xx), else None."""
    status = response.status_code
    if 200 <= status < 300:
        return None
    if status == 429 or status == 408 or status >= 500:
        kind = {429: "rate limited", 408: "request timeout"}.get(status, f"server error {status}")
        wait = server_wait_seconds(response.headers, now)
        retry_at = now + timedelta(seconds=wait) if wait is not None else None
        return AttemptFailure(kind, status, server_wait_s=wait, retry_at=retry_at)
    return AttemptFailure(f"HTTP {status} (not retried)", status, retryable=False)


def failure_for_request_error(exc: httpx.RequestError) -> AttemptFailure:
    """An AttemptFailure for an error where no complete, readable response arrived."""
    if isinstance(exc, httpx.DecodingError):
        return AttemptFailure("response body could not be decoded (bad Content-Encoding)")
    if isinstance(exc, httpx.TimeoutException):
        return AttemptFailure("timed out")
    if isinstance(exc, httpx.RemoteProtocolError):
        return AttemptFailure("connection closed before the whole response arrived")
    return AttemptFailure(f"connection error ({type(exc).__name__})")


_JSON_TYPE_NAMES = {
    dict: "object",
    list: "array",
    str: "string",
    int: "number",
    float: "number",
    bool: "boolean",
    type(None): "null",
}


def _json_type(value: object) -> str:
    return _JSON_TYPE_NAMES.get(type(value), type(value).__name__)


def _bad_payload(kind: str, status: int) -> AttemptFailure:
    return AttemptFailure(kind, status, bad_payload=True)


def parse_items(body: bytes, content_type: str, status: int = 200) -> list[dict]:
    """The items of a 2xx body, which must be a JSON array of objects; else AttemptFailure."""
    looks_html = "html" in content_type.lower() or body.lstrip()[:1] == b"<"
    if looks_html:
        raise _bad_payload("response is not a JSON array (looks like an HTML page)", status)
    try:
        data = orjson.loads(body)  # 1.8 vs 2.9 ms (json) on a day's 0.3 MB page
    except ValueError:
        raise _bad_payload(f"response is not valid JSON ({len(body)} bytes, truncated or corrupt)", status) from None
    if not isinstance(data, list):
        raise _bad_payload(f"response is not a JSON array (got a JSON {_json_type(data)})", status)
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise _bad_payload(
                f"response array holds a JSON {_json_type(item)} at index {index}, not an object",
                status,
            )
    return data
