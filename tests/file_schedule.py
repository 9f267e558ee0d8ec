"""How pytest-xdist's `--dist loadfile` hands test files to workers, changed so a long file's last
test does not hold the next file back (tests/conftest.py installs it for `--dist loadfile`).

A worker runs a test only once it knows the next one (for the teardown of module fixtures), so
xdist queues a worker's next file before its current one ends: stock xdist when two tests are left,
here when one is. The catch is a long end-to-end file: its last test and its teardown (stopping
`dagster dev`) take a minute or more, and the file queued behind them waits that long while
another worker may be idle. So a worker still busy with one of the long files (LONGEST_FILES in
tests/conftest.py) is given the last file of the queue, a quick unit-test file, instead of the
next long one; every other worker takes the queue in order (the longest files first).
"""

from __future__ import annotations

from collections.abc import Collection

from xdist.scheduler import LoadFileScheduling


class LongFilesAlone(LoadFileScheduling):
    """`--dist loadfile`, queuing quick files (not the next long one) behind a long file's end."""

    def __init__(self, config, log=None, long_files: Collection[str] = ()) -> None:
        super().__init__(config, log)
        self.long_files = frozenset(long_files)

    def _busy_with_long_file(self, node) -> bool:
        return any(
            scope in self.long_files and not all(done.values()) for scope, done in self.assigned_work.get(node, {}).items()
        )

    def _reschedule(self, node) -> None:
        if node.shutting_down:
            return
        if not self.workqueue:
            node.shutdown()
            return
        # One test left: the worker waits for a next one before it runs it (see the module docstring).
        if self._pending_of(self.assigned_work[node]) > 1:
            return
        if self._busy_with_long_file(node):
            self.workqueue.move_to_end(next(reversed(self.workqueue)), last=False)
        self._assign_work_unit(node)
