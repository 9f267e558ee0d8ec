"""Allocator settings that keep memory the process has freed out of its RSS.

Three allocators hold a load's memory besides DuckDB's buffer manager: glibc's malloc (Python's
objects, the fetch threads' pages), Polars' own jemalloc and DuckDB's own jemalloc. Each keeps what
was freed for reuse, and in a 10x backfill's load that kept memory was a large part of the peak
(docs/benchmark.md "Where the 10x backfill's memory goes"):

- glibc gives every thread that allocates at once a malloc arena of its own (up to 8 per core), and
  an arena returns memory to the OS only from its top: the fetch threads' arenas stayed large and
  fragmented for the whole load. Two arenas are enough: the fetch threads parse under the GIL.
- Polars' jemalloc reads its settings from `_RJEM_MALLOC_CONF` once, when Polars is imported.
- DuckDB's jemalloc (1.5.5) keeps freed pages for 1 s without a background thread to purge them, so
  in practice until it next allocates; its `mallctl` is exported, so it is set while running.

Both jemallocs here return freed pages to the OS after 100 ms instead of after 0.5-1 s.

`configure_allocators()` must run before Polars is imported and before the first thread starts:
`orchestration` and `papers_cli` call it first thing. Elsewhere than glibc (macOS, musl) the glibc
part does nothing.
"""

from __future__ import annotations

import ctypes
import functools
import os
import sys

from pipeline.free_heap import glibc

# glibc's mallopt parameter number for the arena limit (malloc.h: M_ARENA_MAX).
_M_ARENA_MAX = -8
MALLOC_ARENAS = 2
# How long both jemallocs keep a freed page before returning it. Under load a 10x quarter peaked at
# 777 MB / 91 s with the libraries' defaults, 680 MB / 97 s at 100 ms, 611 MB / 132 s at 0, and idle a
# 1x year's `papers backfill` took 16.3-17.5 s at 0 against 12.6-13.6 s at 100 ms (docs/benchmark.md
# "The allocators' part of the 10x peak"): 0 costs the loads too much.
DECAY_MS = 100
POLARS_JEMALLOC_ENV = "_RJEM_MALLOC_CONF"
POLARS_JEMALLOC_CONF = f"dirty_decay_ms:{DECAY_MS},muzzy_decay_ms:0"


@functools.cache  # once per process: both orchestration and papers_cli call it on import
def configure_allocators() -> None:
    """Limit glibc's malloc arenas and set Polars' jemalloc to return freed pages at once.

    Imports Polars (its jemalloc reads `_RJEM_MALLOC_CONF` then, once); the environment is left as
    it was, so child processes are not affected. Settings the user gave win: a `_RJEM_MALLOC_CONF`
    of theirs is applied after ours (jemalloc keeps the last value of an option), and with
    `MALLOC_ARENA_MAX` set glibc is left alone. Polars already imported is left as it is.
    """
    if "polars" not in sys.modules:
        given = os.environ.get(POLARS_JEMALLOC_ENV)
        os.environ[POLARS_JEMALLOC_ENV] = POLARS_JEMALLOC_CONF + (f",{given}" if given else "")
        try:
            import polars  # noqa: F401 - its jemalloc reads the variable now, once
        finally:  # for this process only: child processes that want it call this themselves
            if given is None:
                del os.environ[POLARS_JEMALLOC_ENV]
            else:
                os.environ[POLARS_JEMALLOC_ENV] = given
    if "MALLOC_ARENA_MAX" not in os.environ:
        limit_malloc_arenas(MALLOC_ARENAS)
    set_duckdb_decay(DECAY_MS)


def set_duckdb_decay(ms: int) -> bool:
    """Set DuckDB's jemalloc to purge freed pages after `ms`, in its arenas now and later; False
    where DuckDB's library has no jemalloc (macOS, Windows builds) or refuses the setting."""
    import _duckdb  # DuckDB's compiled module, which holds its jemalloc

    try:
        mallctl = getattr(ctypes.CDLL(_duckdb.__file__), "duckdb_je_mallctl", None)
    except OSError:
        return False
    if mallctl is None:
        return False
    mallctl.argtypes = [ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t]
    arenas, size = ctypes.c_uint(), ctypes.c_size_t(ctypes.sizeof(ctypes.c_uint))
    if mallctl(b"arenas.narenas", ctypes.byref(arenas), ctypes.byref(size), None, 0) != 0:
        return False
    value = ctypes.c_ssize_t(ms)

    def write(name: str) -> int:
        return mallctl(name.encode(), None, None, ctypes.byref(value), ctypes.sizeof(value))

    done = True
    for decay in ("dirty", "muzzy"):
        done &= write(f"arenas.{decay}_decay_ms") == 0  # arenas made from now on
        # The arenas made so far (an index not yet in use refuses, with nothing to set).
        for index in range(arenas.value):
            write(f"arena.{index}.{decay}_decay_ms")
    return done


def limit_malloc_arenas(arenas: int) -> bool:
    """glibc's mallopt(M_ARENA_MAX, arenas); False where there is no glibc."""
    libc = glibc()
    return libc is not None and bool(libc.mallopt(_M_ARENA_MAX, arenas))
