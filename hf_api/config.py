"""An HFClient configured by the project's `Settings` (HF_API_BASE_URL, HF_TOKEN, HF_* numbers).

`HF_API_BASE_URL=sample` serves the bundled recorded days in-process (httpx.WSGITransport over
the replay app), so the product runs offline through the same client code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from hf_api.client import HFClient
from hf_api.defaults import SAMPLE
from hf_api.sample_replay import BUNDLED_SAMPLE_DIR, make_replay_app

if TYPE_CHECKING:
    from papers_settings import Settings

# Shown in FetchedDay.url and errors when the bundled replay answers; never resolved on a network.
SAMPLE_BASE_URL = "http://hf-sample.local"


def sample_transport() -> httpx.WSGITransport:
    """A transport that answers from the bundled sample days, without any network."""
    return httpx.WSGITransport(app=make_replay_app(BUNDLED_SAMPLE_DIR))


def client_kwargs(settings: Settings) -> dict[str, Any]:
    """HFClient keyword arguments from `settings` (base_url may be "sample": see resolve_sample)."""
    return {
        "base_url": settings.hf_api_base_url,
        "token": settings.hf_token,
        "requests_per_second": settings.hf_requests_per_second,
        "max_attempts": settings.hf_max_attempts,
        "backoff_max_s": settings.hf_backoff_max_s,
        "limits": settings.hf_limits,
    }


def resolve_sample(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Turn `base_url="sample"` into the in-process replay (Settings has checked any other URL)."""
    base_url = kwargs.get("base_url")
    if base_url == SAMPLE:
        # The replay is local: spacing its requests would only slow offline runs down.
        return {
            **kwargs,
            "base_url": SAMPLE_BASE_URL,
            "transport": sample_transport(),
            "requests_per_second": None,
        }
    return kwargs


def client_from_settings(settings: Settings, **overrides: Any) -> HFClient:
    """A client configured by `settings`; keyword `overrides` win (e.g. a fake `sleep`)."""
    return HFClient(**resolve_sample({**client_kwargs(settings), **overrides}))
