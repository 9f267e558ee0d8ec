"""What `papers backfill` prints into a pipe: one plain line per day and event, with its figures.

day=2025-03-03 event=fetched papers=12 days=5 fetched=1 loaded=0 failed=0 ... eta_s=3
"""

from __future__ import annotations

import re
from datetime import date

LINE = re.compile(r"day=(?P<day>\S+) event=(?P<event>fetched|loaded|failed)(?: papers=(?P<papers>\d+))? (?P<rest>.*)")


def parse(line: str) -> tuple[str, str, int | None, dict[str, str]]:
    """(day, event, papers, the other fields) of one progress line; fails on any other line."""
    found = LINE.fullmatch(line)
    assert found, line
    rest = found["rest"]
    reason = None
    if ' reason="' in rest:
        rest, reason = rest.split(' reason="', 1)
    fields = dict(pair.split("=", 1) for pair in rest.split(" "))
    if reason is not None:
        fields["reason"] = reason
    papers = int(found["papers"]) if found["papers"] else None
    return found["day"], found["event"], papers, fields


def assert_plain_lines_with_real_figures(
    output: str, days: list[date], bad: date, per_day: dict[date, int], loaded: dict[date, int]
) -> None:
    """Piped output of a backfill of `days` in which `bad` always fails: every day gets plain
    lines (no control characters, no traceback) whose figures are what the server served
    (`per_day`) and the warehouse holds (`loaded`), and the counts only grow."""
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f]", output), "control characters in piped output"
    assert "Traceback" not in output
    lines = [parse(line) for line in output.splitlines() if line.startswith("day=")]
    events = {(day, event): papers for day, event, papers, _ in lines}
    good = [d for d in days if d != bad]
    # Each day exactly once per event: fetched then loaded for a good day, failed for the bad one.
    assert sorted(events) == sorted([(str(d), e) for d in good for e in ("fetched", "loaded")] + [(str(bad), "failed")])
    assert len(lines) == len(events)
    for day in good:
        # fetched: the records the server served for the day; loaded: what the warehouse holds.
        assert events[(str(day), "fetched")] == per_day[day]
        assert events[(str(day), "loaded")] == loaded[day] == per_day[day]
    for _day, _event, _papers, fields in lines:
        assert fields["days"] == str(len(days))
        assert float(fields["days_per_s"]) > 0 and (fields["eta_s"].isdigit())
    failed_line = next(fields for day, event, _, fields in lines if event == "failed")
    assert "503" in failed_line["reason"]
    last = lines[-1][3]
    assert (last["fetched"], last["loaded"], last["failed"]) == (str(len(good)), str(len(good)), "1")
    assert int(last["papers_loaded"]) == sum(per_day[d] for d in good) == int(last["papers_fetched"])
    # The counts only grow, line after line.
    for key in ("fetched", "loaded", "failed", "papers_fetched", "papers_loaded"):
        values = [int(fields[key]) for *_, fields in lines]
        assert values == sorted(values), key
