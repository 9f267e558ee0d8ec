"""A backfill worker (bench/backfill_worker.py) with its memory sampled over time, to find where
its peak is.

    PAPERS_HOME=... DAGSTER_HOME=... HF_API_BASE_URL=... HF_REQUESTS_PER_SECOND=0 \
    python -m bench.memory_trace --trace T.jsonl --start D --end D

Every `--every` seconds a thread writes one JSON line to `--trace`: seconds since start, the
process's RSS (/proc/self/status VmRSS), DuckDB's own memory (duckdb_memory() of every database
the process opened, through a cursor made when it was opened), Arrow's allocated bytes, and where
the main thread is (its innermost frames in the repository's own code). The backfill's own JSON
line is printed as backfill_worker prints it. `summarise` reads a trace back.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import sys
import threading
import time
from pathlib import Path

from papers_settings import REPO_ROOT

_OWN = str(REPO_ROOT)


def _status_mb(*fields: str) -> dict[str, float]:
    """Fields of /proc/self/status in MB: VmRSS is RssAnon (heaps) + RssFile (mapped files, the
    shared libraries' pages among them) + RssShmem."""
    found = dict.fromkeys(fields, 0.0)
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            name = line.split(":", 1)[0]
            if name in found:
                found[name] = int(line.split()[1]) / 1024
    return found


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")
    ]


def _glibc_mb(libc) -> tuple[float, float]:
    """glibc malloc's bytes in use and bytes held (every arena, mmapped blocks included), in MB;
    Python's objects live there, DuckDB's and Polars' allocators (jemalloc) do not."""
    try:
        info = libc.mallinfo2()
    except AttributeError:  # glibc < 2.33
        return 0.0, 0.0
    return (info.uordblks + info.hblkhd) / 2**20, (info.arena + info.hblkhd) / 2**20


def _where(frame, depth: int = 4) -> list[str]:
    """The innermost `depth` frames of the repository's own code (not the venv's) in `frame`'s stack."""
    found: list[str] = []
    while frame is not None and len(found) < depth:
        name = frame.f_code.co_filename
        if name.startswith(_OWN) and "/.venv/" not in name and "/bench/memory_trace" not in name:
            found.append(f"{Path(name).relative_to(_OWN)}:{frame.f_code.co_name}")
        frame = frame.f_back
    return found


class _Cursors:
    """A cursor on every DuckDB database the process opens, made on the opening thread."""

    def __init__(self) -> None:
        self.cursors: list = []
        self.lock = threading.Lock()

    def install(self) -> None:
        import duckdb

        original = duckdb.connect

        def connect(*args, **kwargs):
            con = original(*args, **kwargs)
            try:
                cursor = con.cursor()
                with self.lock:
                    self.cursors.append(cursor)
            except duckdb.Error:
                pass
            return con

        duckdb.connect = connect

    def memory_mb(self) -> float:
        total = 0.0
        with self.lock:
            cursors = list(self.cursors)
        for cursor in cursors:
            try:
                row = cursor.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()
                total += (row[0] or 0) / 2**20
            except Exception:  # noqa: BLE001 - a closed database: its memory is gone
                with self.lock:
                    if cursor in self.cursors:
                        self.cursors.remove(cursor)
        return total


def sample(trace: Path, every_s: float, stop: threading.Event, cursors: _Cursors, trim: bool = False) -> None:
    """Write a line to `trace` every `every_s` until `stop` is set (after glibc's malloc_trim(0)
    when `trim`: the heap glibc keeps after frees is then given back, and no longer in the RSS)."""
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _MallInfo2
    main_id = threading.main_thread().ident
    started = time.perf_counter()
    with trace.open("w", encoding="utf-8") as out:
        while not stop.is_set():
            if trim:
                libc.malloc_trim(0)
            glibc_used, glibc_held = _glibc_mb(libc)
            frames = sys._current_frames()
            try:
                import pyarrow

                arrow_mb = pyarrow.total_allocated_bytes() / 2**20
            except ImportError:
                arrow_mb = 0.0
            status = _status_mb("VmRSS", "RssAnon", "RssFile")
            line = {
                "t": round(time.perf_counter() - started, 2),
                "rss_mb": round(status["VmRSS"], 1),
                "rss_anon_mb": round(status["RssAnon"], 1),
                "rss_file_mb": round(status["RssFile"], 1),
                "duckdb_mb": round(cursors.memory_mb(), 1),
                "arrow_mb": round(arrow_mb, 1),
                "glibc_used_mb": round(glibc_used, 1),
                "glibc_held_mb": round(glibc_held, 1),
                "threads": len(frames),
                "main": _where(frames.get(main_id)) if main_id is not None else [],
            }
            out.write(json.dumps(line) + "\n")
            out.flush()
            stop.wait(every_s)


def summarise(trace: Path, top: int = 15) -> str:
    """The trace's peak samples and the peak RSS per innermost repository function."""
    lines = [json.loads(line) for line in trace.read_text(encoding="utf-8").splitlines() if line]
    by_place: dict[str, dict] = {}
    for line in lines:
        place = " < ".join(line["main"][:2]) or "(outside the repository)"
        seen = by_place.setdefault(place, {"peak_rss_mb": 0.0, "samples": 0, "first_t": line["t"]})
        seen["samples"] += 1
        if line["rss_mb"] > seen["peak_rss_mb"]:
            seen.update(peak_rss_mb=line["rss_mb"], duckdb_mb=line["duckdb_mb"], arrow_mb=line["arrow_mb"], t=line["t"])
    rows = sorted(by_place.items(), key=lambda item: -item[1]["peak_rss_mb"])[:top]
    peak = max(lines, key=lambda line: line["rss_mb"])
    out = [f"{len(lines)} samples; peak RSS {peak['rss_mb']:.0f} MB", "at the peak: " + json.dumps(peak)]
    out += [
        f"{v['peak_rss_mb']:7.0f} MB rss  {v.get('duckdb_mb', 0):6.0f} duckdb  {v.get('arrow_mb', 0):5.0f} arrow  "
        f"t={v.get('t', 0):6.1f}  n={v['samples']:4d}  {place}"
        for place, v in rows
    ]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Run bench.backfill_worker with the sampler on; `--summarise T` prints a trace's summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trace", type=Path, required=True)
    parser.add_argument("--every", type=float, default=0.2)
    parser.add_argument("--trim", action="store_true", help="call glibc malloc_trim(0) at every sample (diagnosis)")
    parser.add_argument("--days-per-run", type=int, help="load runs of at most this many days (diagnosis)")
    parser.add_argument("--summarise", action="store_true", help="summarise an existing trace and exit")
    args, rest = parser.parse_known_args(argv)
    if args.summarise:
        print(summarise(args.trace))
        return 0
    cursors = _Cursors()
    cursors.install()
    stop = threading.Event()
    thread = threading.Thread(
        target=sample, args=(args.trace, args.every, stop, cursors, args.trim), name="memory-trace", daemon=True
    )
    thread.start()
    from bench.backfill_worker import main as backfill_main

    if args.days_per_run:
        import orchestration.partitions

        orchestration.partitions.MAX_PARTITIONS_PER_RUN = args.days_per_run  # read by backfill_worker.main

    try:
        return backfill_main(rest)
    finally:
        stop.set()
        thread.join(2)


if __name__ == "__main__":
    raise SystemExit(main())
