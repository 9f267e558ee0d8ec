"""A thread-safe client-side rate limit: requests start at least 1/rate seconds apart."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """Spaces calls to `acquire()` at least `1 / requests_per_second` apart, across threads.

    Each caller reserves the next free slot under a lock, then sleeps outside it, so waiting
    threads do not block each other's bookkeeping. `requests_per_second` None or <= 0 means no
    limit. `clock` and `sleep` are injectable so tests can use a fake clock.
    """

    def __init__(
        self,
        requests_per_second: float | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval_s = 1.0 / requests_per_second if requests_per_second else 0.0
        if requests_per_second is not None and requests_per_second < 0:
            self.interval_s = 0.0
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_slot: float | None = None

    def acquire(self) -> float:
        """Wait for this caller's slot; returns the seconds waited."""
        if self.interval_s <= 0:
            return 0.0
        with self._lock:
            now = self._clock()
            slot = now if self._next_slot is None else max(now, self._next_slot)
            self._next_slot = slot + self.interval_s
        wait = slot - now
        if wait > 0:
            self._sleep(wait)
        return wait
