"""Ctrl-C and SIGTERM stop a writing step for good, instead of being retried.

Dagster turns an interrupt inside a step that has a retry policy into a retry
(`op_execution_error_boundary`: "respect retry policy when interrupts occur", meant for
preempted pods), so Ctrl-C on `papers backfill` used to restart the step 10 s later and run it
to the end. Inside `stop_on_signals()`, SIGINT and SIGTERM raise `Interrupted` at once; the
block's own cleanup runs (a DuckDB transaction rolls back, a publish copy is removed) and the
step fails with `StepInterrupted`, a Failure that no retry policy retries.

DuckDB and Polars notice a signal only when their current statement returns to Python; a
statement is seconds at most in this project's loads. DuckDB then reports "Query interrupted"
(a RuntimeError) instead of our exception: that too counts as the interrupt.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_received: dict[str, str | None] = {"signal": None}


class Interrupted(BaseException):
    """Raised by the signal handler inside `stop_on_signals()` (BaseException, as
    KeyboardInterrupt, so `except Exception` in between does not swallow it)."""


class StepInterrupted(dg.Failure):
    """The step stopped on a signal; never retried."""

    def __init__(self, signal_name: str):
        super().__init__(
            description=f"Interrupted by {signal_name}: the step stopped, its DuckDB transaction "
            "was rolled back and nothing more was published.",
            metadata={"interrupted_by": signal_name},
            allow_retries=False,
        )


def received_signal() -> str | None:
    """The signal that stopped the last `stop_on_signals()` block of this process, if any."""
    return _received["signal"]


def clear_received_signal() -> None:
    """Forget the last interrupt (before starting new work)."""
    _received["signal"] = None


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Run the block with SIGINT/SIGTERM raising at once; a signal ends it with StepInterrupted.

    Outside the main thread (where handlers cannot be set) the block runs unchanged. Signals
    after the first are ignored until the block ends, so its cleanup is not cut short.
    """
    clear_received_signal()
    try:
        previous = {sig: signal.getsignal(sig) for sig in SIGNALS}
        for sig in SIGNALS:
            signal.signal(sig, _raise_interrupted)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    except (Interrupted, RuntimeError) as error:
        if received_signal() is None:
            raise
        raise StepInterrupted(received_signal() or "a signal") from error
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _raise_interrupted(signum: int, _frame) -> None:
    if _received["signal"] is not None:
        return
    _received["signal"] = signal.Signals(signum).name
    raise Interrupted(_received["signal"])
