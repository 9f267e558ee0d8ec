"""A publish SIGKILLed at any point leaves the published file a complete snapshot, old or new,
never written in place; the next publish completes whatever the killed one left."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.warehouse.publish_helpers import add_papers, digest, papers, two_publishes
from warehouse.publish import publish_file
from warehouse.retired import retired_path

REPO_ROOT = Path(__file__).resolve().parents[2]
MIB = 1 << 20


def killed_publish(working: Path, published: Path, point: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.warehouse.publish_kill", str(working), str(published), point],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr


@pytest.mark.parametrize(
    ("point", "published_after"),
    [("rewrite", "old"), ("exchange", "old"), ("copy", "old"), ("retire", "new")],
)
def test_a_killed_publish_leaves_a_complete_snapshot_and_the_next_one_completes(publish_files, point, published_after):
    working, published = publish_files
    two_publishes(working, published)
    # A retired snapshot that differs everywhere, so the killed rewrite stops with most of it to do.
    retired = retired_path(published)
    retired.write_bytes(random.Random(3).randbytes(retired.stat().st_size))
    garbage = retired.read_bytes()
    old = digest(published)
    add_papers(working, "third", 50)

    killed_publish(working, published, point)

    expected = {"old": (old, 2_050), "new": (digest(working), 2_100)}[published_after]
    assert (digest(published), papers(published)) == expected
    if point == "rewrite":  # killed mid-rewrite: the retired file is part new, part what it held
        now, new = retired.read_bytes(), working.read_bytes()
        assert now[: 3 * MIB] == new[: 3 * MIB] and now[3 * MIB :] == garbage[3 * MIB : len(now)]
    result = publish_file(working, published, None)
    assert digest(published) == digest(working) and papers(published) == 2_100
    assert result.how.startswith("exchange: "), result.how  # the retired file is free again, whatever it holds
    assert not list(published.parent.glob(".*.tmp")), "what the killed publish left is cleaned up"
