"""A publish that SIGKILLs itself at a chosen point, for the crash tests.

`python -m tests.warehouse.publish_kill WORKING PUBLISHED POINT` runs `publish_file` and kills its
own process with SIGKILL (no cleanup, no `finally`, as the kernel kills an out-of-memory process)
at POINT:
- `rewrite`: after the third chunk written into the retired snapshot (the exchange way);
- `exchange`: after the retired snapshot was rewritten, fsynced and verified, before the exchange;
- `copy`: after the whole file was sent into the staging file, before its fsync and verify (the
  full copy, asked for);
- `retire`: after the full copy was swapped in, before the replaced snapshot is renamed to the
  retired name.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

from warehouse import publish


def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


def after_calls(real: Callable, n: int) -> Callable:
    """`real`, but the process dies right after the n-th call returned."""
    calls = 0

    def counted(*args, **kwargs):
        nonlocal calls
        result = real(*args, **kwargs)
        calls += 1
        if calls == n:
            die()
        return result

    return counted


def main(working: str, published: str, point: str) -> None:
    if point == "rewrite":
        os.pwrite = after_calls(os.pwrite, 3)
    elif point == "exchange":
        publish.rename_exchange.exchange = die
    elif point == "copy":
        os.sendfile = after_calls(os.sendfile, 1)
    elif point == "retire":
        os.replace = die
    else:
        raise SystemExit(f"unknown point {point!r}")
    publish.publish_file(Path(working), Path(published), None, exchange=point in ("rewrite", "exchange"))
    raise SystemExit("the publish finished: the kill point was never reached")


if __name__ == "__main__":
    main(*sys.argv[1:4])
