"""When and how long the HF client waits before trying a request again (tenacity).

Retried: failures marked retryable (429, 408, 5xx, timeouts, dropped connections, broken bodies).
Wait: the server's own hint (Retry-After, else RateLimit) when it gave one, else exponential
backoff with jitter. Stop: after `max_attempts`; at once when the server asks for a wait longer
than `max_wait_s`; after `bad_payload_attempts` bodies that were not a JSON array of objects;
when the next wait would take the day past its total of retry waits (`RetryWaitBudget`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

from hf_api.defaults import DEFAULT_BACKOFF_MAX_S, DEFAULT_MAX_ATTEMPTS
from hf_api.errors import AttemptFailure
from hf_api.limits import MAX_RETRY_WAIT_ENV

log = logging.getLogger("hf_api.client")


def _is_retryable(exc: BaseException) -> bool:
    return isinstance(exc, AttemptFailure) and exc.retryable


def _failure(state: RetryCallState) -> AttemptFailure | None:
    exc = state.outcome.exception() if state.outcome else None
    return exc if isinstance(exc, AttemptFailure) else None


@dataclass
class RetryWaitBudget:
    """The seconds one day may spend waiting between attempts, over all its pages."""

    max_s: float
    spent_s: float = 0.0
    refused_s: float | None = None

    def refuses(self, wait_s: float) -> bool:
        """True (and remembered) when waiting `wait_s` more would pass the budget."""
        if self.spent_s + wait_s > self.max_s:
            self.refused_s = wait_s
            return True
        return False

    def spend(self, wait_s: float) -> None:
        self.spent_s += wait_s

    def reason(self, last: AttemptFailure) -> str:
        """Plain words for a give-up caused by this budget."""
        return (
            f"{last.kind}; waiting {self.refused_s:.0f} s more would take this day past its "
            f"{self.max_s:g} s of retry waits, {self.spent_s:.0f} s already spent "
            f"(raise {MAX_RETRY_WAIT_ENV} to allow more)"
        )


@dataclass
class RetryPolicy:
    """The retry settings of one client; `retrying()` builds the loop for one request."""

    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    max_wait_s: float = 120.0
    backoff_base_s: float = 1.0
    backoff_max_s: float = DEFAULT_BACKOFF_MAX_S
    bad_payload_attempts: int = 3
    sleep: Callable[[float], None] = time.sleep
    _backoff: wait_exponential_jitter = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.bad_payload_attempts < 1:
            raise ValueError("max_attempts and bad_payload_attempts must be >= 1")
        self._backoff = wait_exponential_jitter(
            multiplier=self.backoff_base_s, max=self.backoff_max_s, jitter=self.backoff_base_s
        )

    def retrying(
        self,
        listing_date: date,
        url: str,
        failures: list[AttemptFailure],
        budget: RetryWaitBudget,
    ) -> Retrying:
        """A tenacity loop for one request; the caller appends each AttemptFailure to `failures`.

        `budget` is the day's, shared by all its pages; tenacity computes the next wait before
        asking whether to stop, so the stop sees the wait it would cost.
        """

        def before_sleep(state: RetryCallState) -> None:
            budget.spend(state.upcoming_sleep)
            self._log_retry(state, listing_date, url)

        attempts_used = stop_after_attempt(self.max_attempts)

        def stop(state: RetryCallState) -> bool:
            # What stop_any() does; its signature takes stop_base objects, not plain functions.
            return attempts_used(state) or self._stop_early(state, failures) or budget.refuses(state.upcoming_sleep)

        return Retrying(
            stop=stop,
            wait=self._wait,
            retry=retry_if_exception(_is_retryable),
            sleep=self.sleep,
            before_sleep=before_sleep,
            reraise=True,
        )

    def _stop_early(self, state: RetryCallState, failures: list[AttemptFailure]) -> bool:
        failure = _failure(state)
        if failure is None:
            return False
        server_wait = failure.server_wait_s
        waits_too_long = server_wait is not None and server_wait > self.max_wait_s
        bad_payloads = sum(1 for f in failures if f.bad_payload)
        return waits_too_long or (failure.bad_payload and bad_payloads >= self.bad_payload_attempts)

    def _wait(self, state: RetryCallState) -> float:
        failure = _failure(state)
        if failure is not None and failure.server_wait_s is not None:
            return failure.server_wait_s
        return self._backoff(state)

    def _log_retry(self, state: RetryCallState, listing_date: date, url: str) -> None:
        failure = _failure(state)
        status = failure.status if failure else None
        answer = f"status {status}" if status else "no response"
        wait = state.upcoming_sleep
        log.warning(
            "%s: attempt %d/%d failed (%s: %s) on %s; retrying in %.1f s",
            listing_date,
            state.attempt_number,
            self.max_attempts,
            answer,
            failure,
            url,
            wait,
            extra={"listing_date": listing_date.isoformat(), "status": status, "wait_s": wait},
        )
