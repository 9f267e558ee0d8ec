"""Running the SQL console's worker: a bare process, a hard deadline, a bounded reply.

The dashboard never trusts the worker to stop on its own: the deadline covers everything from
start to the last byte of the reply (parsing, running, fetching, sending), the reply is read a
chunk at a time and the worker killed as soon as it sends more than allowed, and the reply is
unpickled with only the value types DuckDB returns allowed, so even a subverted worker cannot
run code in the dashboard.
"""

from __future__ import annotations

import io
import os
import pickle
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# What `fetchmany` values pickle as (DuckDB's Python types); nothing else may be loaded.
REPLY_CLASSES = {
    ("datetime", "datetime"),
    ("datetime", "date"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
    ("decimal", "Decimal"),
    ("uuid", "UUID"),
    ("uuid", "SafeUUID"),
    ("pytz", "_p"),
}


@dataclass(frozen=True)
class WorkerOutcome:
    """How a worker run ended: 'answered' (reply holds its bytes), 'deadline', 'oversize' or 'died'."""

    kind: str
    reply: bytes = b""
    returncode: int | None = None
    stderr_tail: str = ""


def run_worker(worker: Path, request: dict, deadline_s: float, max_reply_bytes: int) -> WorkerOutcome:
    """Start `worker` on `request` and collect its reply, killing it at `deadline_s` or past `max_reply_bytes`."""
    with tempfile.TemporaryDirectory(prefix="papers-sql-") as scratch:
        request_file = Path(scratch) / "request.pickle"
        request_file.write_bytes(pickle.dumps(request))
        process = subprocess.Popen(
            [sys.executable, "-I", str(worker), str(request_file)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=scratch,
            env=worker_environment(scratch),
        )
        try:
            return _collect(process, time.monotonic() + deadline_s, max_reply_bytes)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
            assert process.stdout is not None and process.stderr is not None  # both are PIPEs
            process.stdout.close()
            process.stderr.close()


def worker_environment(scratch: str) -> dict[str, str]:
    """A bare environment: no tokens, no project paths.

    MALLOC_ARENA_MAX keeps glibc from reserving 64 MB of address space per thread, which would eat
    the worker's RLIMIT_AS before DuckDB holds any data (measured: 779 MB mapped after connecting
    with 2 threads, 253 MB with 2 arenas).
    """
    return {"HOME": scratch, "LANG": "C.UTF-8", "MALLOC_ARENA_MAX": "2"}


def _collect(process: subprocess.Popen, deadline: float, max_reply_bytes: int) -> WorkerOutcome:
    out, err = bytearray(), bytearray()
    assert process.stdout is not None and process.stderr is not None  # both are PIPEs
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ, out)
        selector.register(process.stderr, selectors.EVENT_READ, err)
        while selector.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                return WorkerOutcome("deadline")
            for key, _ in selector.select(left):
                chunk = os.read(key.fd, 1 << 16)
                if not chunk:
                    selector.unregister(key.fileobj)
                elif key.data is out:
                    out += chunk
                    if len(out) > max_reply_bytes:
                        return WorkerOutcome("oversize")
                else:
                    err[:] = (err + chunk)[-8192:]
    try:
        returncode = process.wait(max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        return WorkerOutcome("deadline")
    tail = (err.decode(errors="replace").strip().splitlines() or [""])[-1]
    if returncode != 0 or not out:
        return WorkerOutcome("died", returncode=returncode, stderr_tail=tail)
    return WorkerOutcome("answered", bytes(out), returncode, tail)


def signal_name(returncode: int) -> str:
    """'SIGKILL' for -9, 'exit 1' for 1."""
    if returncode < 0:
        try:
            return signal.Signals(-returncode).name
        except ValueError:
            return f"signal {-returncode}"
    return f"exit {returncode}"


class _ReplyUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) not in REPLY_CLASSES:
            raise pickle.UnpicklingError(f"the worker's reply holds a {module}.{name}, which the console does not load")
        return super().find_class(module, name)


def load_reply(data: bytes) -> dict:
    """The worker's pickled reply, loading only plain values and DuckDB's value types."""
    return _ReplyUnpickler(io.BytesIO(data)).load()
