"""Backfill progress: the tally, the plain lines, the raw-store watch and the terminal bar."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import duckdb
from rich.console import Console

from landing.raw_store import land_fetch, record_failure
from papers_cli.backfill_watch import RangeWatch, papers_per_day
from papers_cli.progress import BackfillProgress, DayTally, PlainProgress, plain_line
from papers_cli.progress_bar import TerminalProgress, clock_time

D1, D2, D3 = date(2025, 3, 3), date(2025, 3, 4), date(2025, 3, 5)
RUN = "run-1"


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def land(raw_dir, day, records, run_id=RUN, second=0, backfill=None):
    moment = datetime(2025, 3, 6, 12, 0, second, tzinfo=UTC)
    tags = {"run_id": run_id, **({"backfill": backfill} if backfill else {})}
    land_fetch(raw_dir, day, moment, "http://x", [b"[]"], records, tags)


def published_with(path, papers_by_day: dict[date, int]) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE papers (paper_id VARCHAR, listing_date DATE)")
        for day, count in papers_by_day.items():
            for index in range(count):
                con.execute("INSERT INTO papers VALUES (?, ?)", [f"{day}-{index}", day])


def test_the_tally_counts_days_papers_rate_and_eta():
    clock = FakeClock()
    tally = DayTally([D1, D2, D3, date(2025, 3, 6)], clock)
    assert tally.fields()["eta_s"] == "unknown"
    clock.now += 4
    tally.record("fetched", D1, 12)
    tally.record("failed", D2, "503")
    # 2 days done in 4 s: 0.5 days/s, so the 2 left take 4 s more.
    assert tally.fields() == {
        "fetched": 1,
        "loaded": 0,
        "failed": 1,
        "days": 4,
        "papers_fetched": 12,
        "papers_loaded": 0,
        "days_per_s": "0.50",
        "eta_s": 4,
    }
    # Loading a fetched day does not count it twice.
    tally.record("loaded", D1, 11)
    assert (tally.done, tally.fields()["papers_loaded"]) == (2, 11)


def test_a_plain_line_is_key_value_pairs_with_the_reason_quoted_last():
    clock = FakeClock()
    tally = DayTally([D1, D2], clock)
    clock.now += 2
    tally.record("failed", D1, "gave up\non \x1b[31mhttp://x\x1b[0m")
    line = plain_line(D1, "failed", None, tally, "gave up\non \x1b[31mhttp://x\x1b[0m")
    assert line.startswith("day=2025-03-03 event=failed fetched=0 loaded=0 failed=1 days=2 ")
    assert line.endswith(r'reason="gave up on \u001b[31mhttp://x\u001b[0m"')
    assert not re.search(r"[\x00-\x1f\x7f]", line)


def test_the_watch_reports_what_this_run_landed_or_failed_and_nothing_else(tmp_path):
    raw_dir = tmp_path / "raw"
    land(raw_dir, D3, 99, run_id="an-earlier-run")
    events = []
    watch = RangeWatch(
        raw_dir,
        [D1, D2, D3],
        RUN,
        on_fetched=lambda d, n: events.append(("fetched", d, n)),
        on_failed=lambda d, r: events.append(("failed", d, r)),
    )
    watch.poll()
    assert events == []
    land(raw_dir, D1, 12)
    record_failure(raw_dir, D2, "HTTP 503", RUN)
    # A fetch half written by a killed run: its empty manifest must not stop the watch.
    staging = raw_dir / D3.isoformat() / ".staging-dead"
    staging.mkdir()
    (staging / "manifest.json").write_text("")
    watch.poll()
    watch.poll()
    assert events == [("fetched", D1, 12), ("failed", D2, "HTTP 503")]


def test_the_watch_thread_sees_days_land_while_it_runs(tmp_path):
    raw_dir = tmp_path / "raw"
    seen = []
    watch = RangeWatch(raw_dir, [D1, D2], RUN, lambda d, n: seen.append(d), lambda d, r: None).start()
    land(raw_dir, D1, 3)
    land(raw_dir, D2, 4)
    watch.stop()
    assert sorted(seen) == [D1, D2]


def test_papers_per_day_reads_the_published_warehouse(tmp_path):
    published = tmp_path / "warehouse.duckdb"
    assert papers_per_day(published, [D1]) == {D1: 0}
    published_with(published, {D1: 3, D2: 1})
    assert papers_per_day(published, [D1, D3]) == {D1: 3, D3: 0}


def drive_a_range(progress: BackfillProgress, raw_dir, published) -> None:
    """One run over D1..D3: D1 and D3 land, D2 fails; the run fails, then D1 and D3 load."""
    progress.range_started(D1, D3, RUN)
    land(raw_dir, D1, 12)
    record_failure(raw_dir, D2, "gave up after 4 attempts: 503", RUN)
    land(raw_dir, D3, 7)
    progress.range_done(D1, D3, {D2: "gave up after 4 attempts: 503"})
    published_with(published, {D1: 12, D3: 6})
    for day in (D1, D3):
        progress.range_started(day, day, f"rerun-{day}")
        progress.range_done(day, day, {})


def test_plain_progress_prints_a_line_per_day_and_event(tmp_path):
    out = io.StringIO()
    console = Console(file=out, width=60)
    assert isinstance(BackfillProgress.for_console(console, [D1], tmp_path, tmp_path / "w"), PlainProgress)
    with BackfillProgress.for_console(console, [D1, D2, D3], tmp_path / "raw", tmp_path / "w.duckdb") as progress:
        drive_a_range(progress, tmp_path / "raw", tmp_path / "w.duckdb")
    lines = out.getvalue().splitlines()
    events = [re.match(r"day=(\S+) event=(\w+)(?: papers=(\d+))?", line).groups() for line in lines]
    assert sorted(events) == sorted(
        [
            ("2025-03-03", "fetched", "12"),
            ("2025-03-04", "failed", None),
            ("2025-03-05", "fetched", "7"),
            ("2025-03-03", "loaded", "12"),
            ("2025-03-05", "loaded", "6"),
        ]
    )
    assert lines[-1].split(" ")[3:8] == ["fetched=2", "loaded=2", "failed=1", "days=3", "papers_fetched=19"]
    assert "papers_loaded=18" in lines[-1]
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f]", out.getvalue())


def test_days_the_backfill_fails_without_a_recorded_failure_are_shown_failed(tmp_path):
    out = io.StringIO()
    with PlainProgress(Console(file=out), [D1, D2], tmp_path / "raw", tmp_path / "w.duckdb") as progress:
        progress.range_started(D1, D2, RUN)
        land(tmp_path / "raw", D1, 5)
        progress.range_done(D1, D2, {D1: "publish failed", D2: "publish failed"})
    assert (len(progress.tally.fetched), len(progress.tally.failed)) == (1, 2)


def test_the_terminal_bar_shows_the_same_figures(tmp_path):
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=200, color_system="standard")
    progress = BackfillProgress.for_console(console, [D1, D2, D3], tmp_path / "raw", tmp_path / "w.duckdb")
    assert isinstance(progress, TerminalProgress)
    with progress:
        drive_a_range(progress, tmp_path / "raw", tmp_path / "w.duckdb")
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue())
    assert "\x1b[" in out.getvalue()  # a terminal: colours and cursor moves
    final = [line for line in re.split(r"[\r\n]", text) if "Backfill" in line][-1]
    assert "3/3 days" in final
    assert "fetched 2 · loaded 2 · failed 1 · 19 papers fetched, 18 loaded" in final
    assert "days/s · fetch ETA 0:00:00" in final
    assert "2025-03-04 failed: gave up after 4 attempts: 503" in text
    assert "2025-03-03 .. 2025-03-05: failed" in text and "2025-03-05 .. 2025-03-05: ok" in text


def test_clock_time_does_not_wrap_at_a_day():
    assert clock_time(90061) == "25:01:01"


def test_a_run_warning_is_one_line_in_both_displays(tmp_path):
    warning = "2025-03-04: skipped an older fetch,\nunreadable raw file /raw/page-0000.json"
    plain = io.StringIO()
    with PlainProgress(Console(file=plain), [D1], tmp_path / "raw", tmp_path / "w.duckdb") as progress:
        progress.warning(warning)
    assert plain.getvalue() == 'warning="2025-03-04: skipped an older fetch, unreadable raw file /raw/page-0000.json"\n'

    terminal = io.StringIO()
    console = Console(file=terminal, force_terminal=True, width=200, color_system="standard")
    with TerminalProgress(console, [D1], tmp_path / "raw", tmp_path / "w.duckdb") as progress:
        progress.warning(warning)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", terminal.getvalue())
    assert "  warning: 2025-03-04: skipped an older fetch, unreadable raw file /raw/page-0000.json\n" in text


def test_the_watch_reports_a_day_an_earlier_run_of_its_backfill_landed_for_it(tmp_path):
    # pipeline/lander.py: a CLI backfill's days are landed ahead of its runs, tagged with the
    # backfill's id; the run takes them, so the watch must count them as fetched.
    raw_dir = tmp_path / "raw"
    land(raw_dir, D1, 5, run_id="the-run-before", backfill="cli-this-one")
    land(raw_dir, D2, 6, run_id="another-backfills-run", backfill="cli-another-one")
    events = []
    watch = RangeWatch(raw_dir, [D1, D2], RUN, lambda d, n: events.append((d, n)), lambda d, r: None, "cli-this-one")
    watch.poll()
    assert events == [(D1, 5)]


def test_a_run_shows_the_later_days_it_lands_ahead_as_fetched_and_each_day_once(tmp_path):
    raw_dir, out = tmp_path / "raw", io.StringIO()
    with PlainProgress(Console(file=out), [D1, D2, D3], raw_dir, tmp_path / "w.duckdb") as progress:
        progress.range_started(D1, D1, "run-1", "cli-b")
        land(raw_dir, D1, 4, run_id="run-1", backfill="cli-b")
        land(raw_dir, D2, 5, run_id="run-1", backfill="cli-b")  # landed ahead for the next run
        progress.range_done(D1, D1, {})
        assert progress.tally.fetched == {D1: 4, D2: 5}
        progress.range_started(D2, D3, "run-2", "cli-b")
        land(raw_dir, D3, 6, run_id="run-2", backfill="cli-b")
        progress.range_done(D2, D3, {})
    fetched = [line for line in out.getvalue().splitlines() if "event=fetched" in line]
    assert [line.split()[0] for line in fetched] == [f"day={D1}", f"day={D2}", f"day={D3}"]
    assert "fetched=3 " in fetched[-1]
