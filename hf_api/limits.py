"""The bounds of one day's fetch, so a hostile or broken server cannot hang or exhaust a run.

A real HF day is one page of well under 1 MB (the largest recorded: 158 KB, 13 papers); the
defaults leave an order of magnitude of room above that and no more. Each limit has an
environment variable, named in the error a breach gives, so the fix is one `export` away.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

REQUEST_DEADLINE_ENV = "HF_REQUEST_DEADLINE_S"
MAX_BODY_BYTES_ENV = "HF_MAX_BODY_BYTES"
MAX_PAGES_ENV = "HF_MAX_PAGES_PER_DAY"
MAX_RETRY_WAIT_ENV = "HF_MAX_RETRY_WAIT_PER_DAY_S"


@dataclass(frozen=True)
class FetchLimits:
    """request_deadline_s: wall-clock time for one request, connect to last body byte.
    max_body_bytes: size of one response body after decompression.
    max_pages: pages one day may take (a server that keeps sending full pages is cut off).
    max_retry_wait_s: total time one day may sleep between attempts (Retry-After or backoff).
    """

    request_deadline_s: float = 60.0
    max_body_bytes: int = 16 * 1024 * 1024
    max_pages: int = 10
    max_retry_wait_s: float = 240.0

    def __post_init__(self) -> None:
        for name in ("request_deadline_s", "max_body_bytes", "max_pages"):
            if getattr(self, name) <= 0:
                raise ValueError(f"FetchLimits.{name} must be > 0, got {getattr(self, name)}")
        if self.max_retry_wait_s < 0:
            raise ValueError(f"FetchLimits.max_retry_wait_s must be >= 0, got {self.max_retry_wait_s}")


class Deadline:
    """A point in monotonic time that one request must finish by."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._end = clock() + seconds

    def remaining(self) -> float:
        """Seconds left, never below zero."""
        return max(0.0, self._end - self._clock())

    def expired(self) -> bool:
        """True once the deadline has passed."""
        return self._clock() >= self._end
