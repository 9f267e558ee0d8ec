"""Giving the C heap's free memory back to the OS once the fetch threads are done with it.

A run's fetch parses every page on its own threads (hf_api/client.py), and glibc gives each
thread a malloc arena of its own. The bodies and parsed items are freed once a day lands, but an
arena returns memory to the OS only from its top: in a 10x backfill's run glibc held ~270-290 MB
with ~70-80 MB in use, for the whole load that followed (bench/memory_trace.py,
docs/benchmark.md "Where the 10x backfill's memory goes"). `malloc_trim(0)` releases the free
pages of every arena. Elsewhere than glibc (macOS, musl) there is no such call and nothing to do.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools


@functools.cache
def glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc (it has both mallopt and malloc_trim), else None. musl has a
    mallopt that does nothing and no malloc_trim; macOS has neither."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


def release_free_heap() -> bool:
    """Return the free pages of glibc's malloc arenas to the OS; False where there is no glibc."""
    libc = glibc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True
