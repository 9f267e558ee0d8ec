"""The one-day command measurement backfills the newest generated day, and says where days go."""

from datetime import date

import pytest

from bench.measure_command_cost import newest_day


def test_the_newest_generated_day_is_the_one_backfilled(tmp_path):
    for day in ("2026-12-04", "2026-12-06", "2026-12-05"):
        (tmp_path / f"daily_papers_{day}.json").write_text("[]")
    (tmp_path / "notes.json").write_text("{}")  # not a day file
    assert newest_day(tmp_path) == date(2026, 12, 6)


def test_a_folder_without_days_is_refused_with_where_they_come_from(tmp_path):
    with pytest.raises(SystemExit, match="papers bench --work-dir"):
        newest_day(tmp_path)
