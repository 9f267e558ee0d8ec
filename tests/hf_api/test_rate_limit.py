"""The client-side rate limiter on a fake clock (no wall-time assertions)."""

from __future__ import annotations

import threading

from hf_api.rate_limit import RateLimiter
from hf_api.testing.clock import FakeClock


def test_back_to_back_calls_are_spaced_by_the_interval():
    clock = FakeClock()
    limiter = RateLimiter(4.0, clock=clock, sleep=clock.sleep)
    waits = [limiter.acquire() for _ in range(4)]
    # 4 per second = 0.25 s apart; the clock only moves by the limiter's own sleeps.
    assert waits == [0.0, 0.25, 0.25, 0.25]
    assert clock.now == 1000.75


def test_calls_already_far_apart_do_not_wait():
    clock = FakeClock()
    limiter = RateLimiter(2.0, clock=clock, sleep=clock.sleep)
    waits = []
    for _ in range(3):
        waits.append(limiter.acquire())
        clock.advance(1.0)  # the caller's own work takes longer than the 0.5 s interval
    assert waits == [0.0, 0.0, 0.0]


def test_threads_get_distinct_slots():
    clock = FakeClock()
    # A sleep that records but does not move time: every thread sees the same "now", so each
    # must still get its own slot, 0.5 s after the previous one.
    recorded: list[float] = []
    lock = threading.Lock()

    def record(seconds: float) -> None:
        with lock:
            recorded.append(seconds)

    limiter = RateLimiter(2.0, clock=clock, sleep=record)
    threads = [threading.Thread(target=limiter.acquire) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(recorded) == [0.5, 1.0, 1.5, 2.0]  # the first of five did not wait


def test_no_rate_means_no_limit():
    clock = FakeClock()
    for rate in (None, 0, -1):
        limiter = RateLimiter(rate, clock=clock, sleep=clock.sleep)
        assert [limiter.acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert clock.sleeps == []
