"""A fake monotonic clock whose sleep records the wait and moves time on instead of blocking."""

from __future__ import annotations

import threading


class FakeClock:
    """Pass `clock` as a clock and `clock.sleep` as a sleep function; `sleeps` lists every wait."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds
