"""Plain httpx client for the HF Daily Papers API (no Dagster here).

`HFClient.fetch_day(date)` pages through `GET /api/daily_papers?date=...&limit=...&p=...` and
returns the verbatim bodies. Retries (tenacity) cover 429, 408, 5xx, timeouts, dropped
connections and broken bodies; the server's `Retry-After` / `RateLimit` wait is honoured, else
exponential backoff with jitter (see retry). A client-side rate limit spaces every request,
retries included. `FetchLimits` bound each request's time and body size and each day's pages
and retry waits (see limits, body).
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import httpx

from hf_api.body import ACCEPT_ENCODING, bounded_get
from hf_api.defaults import (
    DEFAULT_BACKOFF_MAX_S,
    DEFAULT_BASE_URL,
    DEFAULT_MAX_ATTEMPTS,
    DEFAULT_REQUESTS_PER_SECOND,
)
from hf_api.errors import AttemptFailure, FetchError, PageLimitExceeded, give_up_reason
from hf_api.limits import FetchLimits
from hf_api.rate_limit import RateLimiter
from hf_api.response import parse_items
from hf_api.retry import RetryPolicy, RetryWaitBudget
from hf_api.url_redaction import redact_userinfo

log = logging.getLogger(__name__)

DAILY_PAPERS_PATH = "/api/daily_papers"
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=10.0, pool=10.0)


@dataclass(frozen=True)
class FetchedDay:
    """One listing date as the API served it.

    fetched_at: UTC, tz-aware, when the first page arrived. url: the first page's URL (no token,
    no user:password).
    pages: verbatim bodies, each a JSON array of objects; the first page is always kept, later
    ones only when they brought new items. record_count: distinct items (by paper.id) over pages.
    """

    listing_date: date
    fetched_at: datetime
    url: str
    pages: list[bytes]
    record_count: int


def _item_key(item: dict) -> str:
    paper = item.get("paper")
    if isinstance(paper, dict) and isinstance(paper.get("id"), str):
        return paper["id"]
    return json.dumps(item, sort_keys=True)


class HFClient:
    """Fetches daily listings with paging, retries, timeouts and a client-side rate limit.

    Beyond the basics: `backoff_base_s` / `backoff_max_s` shape the exponential backoff;
    `bad_payload_attempts` caps retries of 2xx bodies that are not a JSON array of objects;
    `sleep` is what retry waits call; `rate_limiter` replaces the one built from
    `requests_per_second` (None or 0 = unlimited); `limits` bound time, size, pages and waits.
    The token is sent as a bearer header only; a user:password in `base_url` as basic auth, and
    `base_url`, FetchedDay.url and every error show it as `***@`.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        token: str | None = None,
        *,
        page_size: int = 100,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        max_wait_s: float = 120.0,
        requests_per_second: float | None = DEFAULT_REQUESTS_PER_SECOND,
        transport: httpx.BaseTransport | None = None,
        backoff_base_s: float = 1.0,
        backoff_max_s: float = DEFAULT_BACKOFF_MAX_S,
        bad_payload_attempts: int = 3,
        sleep: Callable[[float], None] = time.sleep,
        rate_limiter: RateLimiter | None = None,
        limits: FetchLimits | None = None,
    ) -> None:
        if page_size < 1:
            raise ValueError(f"page_size must be >= 1, got {page_size}")
        # A user:password in the URL becomes basic auth (as httpx would make it), so no URL
        # handed to httpx (which logs them) holds it; what is shown or written is redacted.
        request_url = httpx.URL(base_url.rstrip("/"))
        auth = None
        if request_url.userinfo:
            auth = httpx.BasicAuth(request_url.username, request_url.password)
        self._request_base_url = str(request_url.copy_with(userinfo=b""))
        self.base_url = redact_userinfo(base_url.rstrip("/"))
        self.page_size = page_size
        self.retry_policy = RetryPolicy(max_attempts, max_wait_s, backoff_base_s, backoff_max_s, bad_payload_attempts, sleep)
        self.rate_limiter = rate_limiter or RateLimiter(requests_per_second)
        self.limits = limits or FetchLimits()
        self._timeout = timeout
        headers = {
            "User-Agent": "hf-daily-papers-warehouse/0.1",
            "Accept": "application/json",
            "Accept-Encoding": ACCEPT_ENCODING,
        }
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._has_token = bool(token)
        self._http = httpx.Client(headers=headers, timeout=timeout, transport=transport, auth=auth)

    def __repr__(self) -> str:
        token = "set" if self._has_token else "none"
        return f"HFClient(base_url={self.base_url!r}, token={token}, page_size={self.page_size})"

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> HFClient:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def page_url(self, listing_date: date, page: int) -> str:
        """The URL of one page of one listing date, as shown in errors, logs and manifests."""
        return self._url(self.base_url, listing_date, page)

    def _url(self, base_url: str, listing_date: date, page: int) -> str:
        params = {"date": listing_date.isoformat(), "limit": self.page_size, "p": page}
        return str(httpx.URL(base_url + DAILY_PAPERS_PATH, params=params))

    def fetch_day(self, listing_date: date) -> FetchedDay:
        """All pages of one listing date; raises FetchError when the client gives up.

        Pages until a short page. A later page whose items were all seen already (a server that
        ignores `p`) ends the paging and is dropped, so items are kept once. Past
        `limits.max_pages` full pages it raises PageLimitExceeded; all retry waits of the day
        share `limits.max_retry_wait_s`.
        """
        pages: list[bytes] = []
        seen: set[str] = set()
        fetched_at: datetime | None = None
        budget = RetryWaitBudget(self.limits.max_retry_wait_s)
        for page in itertools.count():
            if page >= self.limits.max_pages:
                url = self.page_url(listing_date, page)
                raise PageLimitExceeded(listing_date, url, self.limits.max_pages)
            body, items = self._get_page(listing_date, page, budget)
            if fetched_at is None:
                fetched_at = datetime.now(UTC)
            keys = [_item_key(item) for item in items]
            if page > 0 and not set(keys) - seen:
                if items:
                    log.warning("%s: page %d repeats earlier items; stopping", listing_date, page)
                break
            pages.append(body)
            seen.update(keys)
            if len(items) < self.page_size:
                break
        assert fetched_at is not None
        first_url = self.page_url(listing_date, 0)
        return FetchedDay(listing_date, fetched_at, first_url, pages, len(seen))

    def _get_page(self, listing_date: date, page: int, budget: RetryWaitBudget) -> tuple[bytes, list[dict]]:
        url = self.page_url(listing_date, page)
        failures: list[AttemptFailure] = []
        try:
            for attempt in self.retry_policy.retrying(listing_date, url, failures, budget):
                with attempt:
                    try:
                        return self._attempt(self._url(self._request_base_url, listing_date, page))
                    except AttemptFailure as failure:
                        failures.append(failure)
                        raise
        except AttemptFailure:
            last = failures[-1]
            if budget.refused_s is not None:
                reason = budget.reason(last)
            else:
                reason = give_up_reason(failures, self.retry_policy.max_wait_s)
            raise FetchError(listing_date, url, last.status, len(failures), reason) from None
        raise AssertionError("unreachable: tenacity neither returned nor raised")

    def _attempt(self, url: str) -> tuple[bytes, list[dict]]:
        self.rate_limiter.acquire()
        body, content_type, status = bounded_get(self._http, url, self._timeout, self.limits)
        return body, parse_items(body, content_type, status)
