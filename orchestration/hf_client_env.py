"""HFClient settings from the environment (the contract in DESIGN.md).

HF_API_BASE_URL: default https://huggingface.co; the literal "sample" serves the bundled
recorded days in-process (httpx.WSGITransport over the replay app), so the product runs offline.
HF_TOKEN: optional bearer token. HF_REQUESTS_PER_SECOND, HF_MAX_ATTEMPTS: optional numbers.
The fetch limits (hf_limits): HF_REQUEST_DEADLINE_S, HF_MAX_BODY_BYTES, HF_MAX_PAGES_PER_DAY,
HF_MAX_RETRY_WAIT_PER_DAY_S. Empty values count as unset.
"""

from __future__ import annotations

import os
from typing import Any

import httpx

from orchestration.hf_limits import (
    MAX_BODY_BYTES_ENV,
    MAX_PAGES_ENV,
    MAX_RETRY_WAIT_ENV,
    REQUEST_DEADLINE_ENV,
    FetchLimits,
)
from orchestration.sample_api import BUNDLED_SAMPLE_DIR, make_replay_app
from orchestration.url_redaction import redact_userinfo

SAMPLE = "sample"
# Shown in FetchedDay.url and errors when the bundled replay answers; never resolved on a network.
SAMPLE_BASE_URL = "http://hf-sample.local"


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def _number(name: str, convert: type, minimum: float) -> Any:
    raw = _env(name)
    if raw is None:
        return None
    try:
        value = convert(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a valid {convert.__name__}") from None
    if value < minimum:
        raise ValueError(f"{name}={raw!r} must be >= {minimum}")
    return value


def limits_from_env() -> FetchLimits:
    """FetchLimits from the environment; unset variables keep the defaults."""
    default = FetchLimits()
    values = {
        "request_deadline_s": _number(REQUEST_DEADLINE_ENV, float, 0.001),
        "max_body_bytes": _number(MAX_BODY_BYTES_ENV, int, 1),
        "max_pages": _number(MAX_PAGES_ENV, int, 1),
        "max_retry_wait_s": _number(MAX_RETRY_WAIT_ENV, float, 0),
    }
    return FetchLimits(**{
        name: getattr(default, name) if value is None else value for name, value in values.items()
    })


def sample_transport() -> httpx.WSGITransport:
    """A transport that answers from the bundled sample days, without any network."""
    return httpx.WSGITransport(app=make_replay_app(BUNDLED_SAMPLE_DIR))


def client_kwargs_from_env() -> dict[str, Any]:
    """HFClient keyword arguments read from the environment (only those that are set).

    `base_url` may come back as "sample"; pass the merged arguments through `resolve_sample`.
    """
    kwargs: dict[str, Any] = {}
    base_url = _env("HF_API_BASE_URL")
    if base_url is not None:
        kwargs["base_url"] = base_url
    token = _env("HF_TOKEN")
    if token is not None:
        kwargs["token"] = token
    rate = _number("HF_REQUESTS_PER_SECOND", float, 0)
    if rate is not None:
        kwargs["requests_per_second"] = rate
    attempts = _number("HF_MAX_ATTEMPTS", int, 1)
    if attempts is not None:
        kwargs["max_attempts"] = attempts
    kwargs["limits"] = limits_from_env()
    return kwargs


def resolve_sample(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Turn `base_url="sample"` into the in-process replay; check any other base URL."""
    base_url = kwargs.get("base_url")
    if base_url == SAMPLE:
        # The replay is local: spacing its requests would only slow offline runs down.
        return {
            **kwargs,
            "base_url": SAMPLE_BASE_URL,
            "transport": sample_transport(),
            "requests_per_second": None,
        }
    if base_url is not None and not str(base_url).startswith(("http://", "https://")):
        raise ValueError(
            f"HF_API_BASE_URL={redact_userinfo(str(base_url))!r} must start with http:// or "
            f"https:// (or be {SAMPLE!r} for the bundled sample)"
        )
    return kwargs
