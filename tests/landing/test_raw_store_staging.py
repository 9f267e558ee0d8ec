"""Staging folders left by a writer killed while landing are removed by a later landing of that day."""

import os
import time
from datetime import UTC, date, datetime

from landing.raw_store import ABANDONED_AFTER, fetch_folders, land_fetch

DAY = date(2024, 5, 6)


def _staging(day_dir, name, age_s):
    folder = day_dir / name
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text("")  # what a kill mid-landing leaves
    stamp = time.time() - age_s
    os.utime(folder, (stamp, stamp))
    return folder


def test_landing_a_day_removes_its_abandoned_staging_folders_and_keeps_recent_ones(tmp_path):
    day_dir = tmp_path / DAY.isoformat()
    old = _staging(day_dir, ".staging-old", ABANDONED_AFTER.total_seconds() + 60)
    in_flight = _staging(day_dir, ".staging-in-flight", 5)
    other_day = _staging(tmp_path / "2024-05-07", ".staging-other-day", ABANDONED_AFTER.total_seconds() + 60)

    landed = land_fetch(tmp_path, DAY, datetime(2024, 5, 6, 12, tzinfo=UTC), "http://hf.test", [b"[]"], 0)

    assert not old.exists()
    assert in_flight.exists(), "a fetch another process is landing right now must not be touched"
    assert other_day.exists(), "only the landed day's folder is swept"
    assert fetch_folders(tmp_path, DAY) == [landed.folder]


def test_a_hidden_file_with_the_staging_prefix_is_not_a_folder_and_is_left_alone(tmp_path):
    day_dir = tmp_path / DAY.isoformat()
    day_dir.mkdir()
    stray = day_dir / ".staging-note"
    stray.write_text("not ours")
    stamp = time.time() - ABANDONED_AFTER.total_seconds() - 60
    os.utime(stray, (stamp, stamp))

    land_fetch(tmp_path, DAY, datetime(2024, 5, 6, 12, tzinfo=UTC), "http://hf.test", [b"[]"], 0)

    assert stray.read_text() == "not ours"
