"""bench/memory_trace.py: the sampler's lines and the summary of where the peak was."""

from __future__ import annotations

import json
import threading
import time

from bench.memory_trace import _Cursors, sample, summarise


def test_summary_names_the_place_of_the_peak(tmp_path):
    trace = tmp_path / "t.jsonl"
    lines = [
        {"t": 0.2, "rss_mb": 300.0, "duckdb_mb": 10.0, "arrow_mb": 0.0, "main": ["pipeline/load_days.py:load", "x:y"]},
        {"t": 0.4, "rss_mb": 900.0, "duckdb_mb": 120.0, "arrow_mb": 0.0, "main": ["warehouse/load.py:_upsert_dimensions"]},
        {"t": 0.6, "rss_mb": 600.0, "duckdb_mb": 90.0, "arrow_mb": 0.0, "main": ["warehouse/derived.py:_build_all"]},
        {"t": 0.8, "rss_mb": 100.0, "duckdb_mb": 0.0, "arrow_mb": 0.0, "main": []},
    ]
    trace.write_text("".join(json.dumps(line) + "\n" for line in lines))
    summary = summarise(trace).splitlines()
    assert summary[0] == "4 samples; peak RSS 900 MB"
    assert summary[1] == "at the peak: " + json.dumps(lines[1])
    assert "warehouse/load.py:_upsert_dimensions" in summary[2] and "900 MB" in summary[2]
    assert "warehouse/derived.py:_build_all" in summary[3]
    assert "(outside the repository)" in summary[-1]


def test_the_sampler_writes_the_process_rss_and_the_main_threads_place(tmp_path):
    trace = tmp_path / "t.jsonl"
    stop = threading.Event()
    thread = threading.Thread(target=sample, args=(trace, 0.01, stop, _Cursors()))
    thread.start()
    time.sleep(0.1)
    stop.set()
    thread.join()
    first = json.loads(trace.read_text().splitlines()[0])
    assert first["rss_mb"] > 10
    # VmRSS is the anonymous pages, the mapped files' and shared memory's (none here)
    assert first["rss_anon_mb"] > 0 and first["rss_file_mb"] > 0
    assert abs(first["rss_anon_mb"] + first["rss_file_mb"] - first["rss_mb"]) < 1
    assert first["main"] and first["main"][0].startswith("tests/bench/test_memory_trace.py:")
