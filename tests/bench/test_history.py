"""The benchmark's history: a backfill, then two weeks of the daily schedule, with growing upvotes."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import duckdb

from bench.generate import DayGenerator
from bench.history import build_published_history, history_fetches

END = date(2026, 6, 20)


def upvotes(body: bytes) -> list[int]:
    return [item["paper"]["upvotes"] for item in json.loads(body)]


def test_a_later_fetch_sees_at_least_as_many_upvotes_and_never_more_than_the_settled_count():
    generator = DayGenerator(30, seed=5)
    settled = upvotes(generator.day_bytes(END))
    seen = [upvotes(generator.day_bytes(END, days_after=k)) for k in range(15)]
    for earlier, later in pairwise(seen):
        assert all(a <= b for a, b in zip(earlier, later, strict=True))
    assert all(s <= f for s, f in zip(seen[-1], settled, strict=True))
    assert sum(seen[0]) < 0.6 * sum(settled)  # half on the listing day (plus rounding)
    assert sum(seen[-1]) > 0.99 * sum(settled)


def test_a_backfill_then_fourteen_daily_runs_each_fetching_fifteen_days():
    fetches = list(history_fetches(DayGenerator(2, seed=5), END, n_days=40))
    runs = Counter(fetched_at for _, _, fetched_at in fetches)
    backfill = datetime(2026, 6, 6, 23, tzinfo=UTC)
    assert runs[backfill] == 26  # every day up to END - 14
    assert sorted(runs)[1:] == [datetime(2026, 6, d, 23, tzinfo=UTC) for d in range(7, 21)]
    assert all(runs[run] == 15 for run in sorted(runs)[1:])
    per_day = Counter(day for day, _, _ in fetches)
    assert per_day[END] == 1 and per_day[END - timedelta(days=14)] == 15 and per_day[END - timedelta(days=39)] == 1


def test_the_published_history_has_papers_rising_over_the_last_days(tmp_path):
    built = build_published_history(tmp_path, END, n_days=20, papers_per_day=3, seed=5, derive=False)
    con = duckdb.connect(built["path"], read_only=True)
    observations = dict(con.execute("SELECT listing_date, count(*) FROM votes GROUP BY 1").fetchall())
    assert observations[END] == 3 and observations[END - timedelta(days=14)] == 3 * 15
    rising = con.execute("SELECT paper_id, upvotes_gained FROM rising_papers(3)").fetchall()
    # the window (3 days before the last run's 23:00, inclusive) holds the runs of END-3 .. END; a
    # paper needs two of them: listed END-16 .. END-1 (END-17 is only in END-3's run, END only in END's)
    assert len(rising) == 3 * 16 and all(gained >= 0 for _, gained in rising)
    assert sum(gained for _, gained in rising) > 0
    con.close()
