"""Errors of the HF Daily Papers client: one failed attempt, and the final give-up.

`AttemptFailure` describes one failed HTTP attempt (kept internal to the retry loop);
`FetchError` is what callers see once the client gives up on a day, in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from hf_api.limits import MAX_PAGES_ENV


@dataclass
class AttemptFailure(Exception):
    """One failed attempt.

    kind: plain words for what went wrong ("server error 503", "timed out", ...).
    status: HTTP status, None when no response arrived.
    retryable: False for answers that retrying cannot fix (404, other 4xx).
    server_wait_s: the wait the server asked for (Retry-After / RateLimit), if any.
    retry_at: wall-clock UTC time the server said to come back, if it asked.
    bad_payload: True when a 2xx body was not a JSON array of objects.
    """

    kind: str
    status: int | None = None
    retryable: bool = True
    server_wait_s: float | None = None
    retry_at: datetime | None = None
    bad_payload: bool = False

    def __str__(self) -> str:
        return self.kind


class FetchError(Exception):
    """The client gave up on one listing date.

    Attributes: listing_date, url (of the failing request, never holds the token),
    last_status (int or None when no response arrived), attempts, reason (plain words).
    """

    def __init__(
        self,
        listing_date: date,
        url: str,
        last_status: int | None,
        attempts: int,
        reason: str,
    ) -> None:
        self.listing_date = listing_date
        self.url = url
        self.last_status = last_status
        self.attempts = attempts
        self.reason = reason
        super().__init__(str(self))

    @property
    def problem(self) -> str:
        """What went wrong, without the date: for lists that already show the day beside it."""
        status = f"last status {self.last_status}" if self.last_status else "no HTTP response"
        noun = "attempt" if self.attempts == 1 else "attempts"
        return f"gave up after {self.attempts} {noun} on {self.url}: {status} ({self.reason})"

    def __str__(self) -> str:
        return f"{self.listing_date.isoformat()}: {self.problem}"

    def __reduce__(self):
        # Keeps the error picklable across Dagster's process boundary.
        return (
            type(self),
            (self.listing_date, self.url, self.last_status, self.attempts, self.reason),
        )


def _utc_z(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def give_up_reason(failures: list[AttemptFailure], max_wait_s: float) -> str:
    """Plain words for why the client stopped, from the failures of one request in order."""
    last = failures[-1]
    if not last.retryable:
        return last.kind
    if last.server_wait_s is not None and last.server_wait_s > max_wait_s and last.retry_at:
        if last.status == 429:
            return f"rate limited until {_utc_z(last.retry_at)}"
        return f"{last.kind}, told to come back at {_utc_z(last.retry_at)}"
    same = sum(1 for f in failures if f.kind == last.kind)
    return f"{last.kind} x{same}"


class PageLimitExceeded(FetchError):
    """A day still had more pages after `max_pages` full ones (a server whose paging never ends).

    Not retried: the same server would page on just as far again.
    """

    def __init__(self, listing_date: date, url: str, max_pages: int) -> None:
        reason = (
            f"still full pages after {max_pages} pages, the per-day limit "
            f"(raise {MAX_PAGES_ENV} to allow more); nothing of this day was kept"
        )
        self.max_pages = max_pages
        super().__init__(listing_date, url, 200, max_pages, reason)

    @property
    def problem(self) -> str:
        return f"stopped before {self.url}: {self.reason}"

    def __reduce__(self):
        return (type(self), (self.listing_date, self.url, self.max_pages))
