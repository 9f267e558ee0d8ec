"""tests/file_schedule.py: which file a worker gets next, with xdist's scheduler driven by hand."""

from __future__ import annotations

from types import SimpleNamespace

from tests.file_schedule import LongFilesAlone

# Queue order as tests/conftest.py sorts it: the long files, then quick ones.
COLLECTION = [
    "tests/e2e/long_a.py::one",
    "tests/e2e/long_a.py::two",
    "tests/e2e/long_b.py::one",
    "tests/e2e/long_b.py::two",
    "tests/e2e/long_c.py::one",
    "tests/quick_x.py::one",
    "tests/quick_y.py::one",
    "tests/quick_z.py::one",
]
LONG = ["tests/e2e/long_a.py", "tests/e2e/long_b.py", "tests/e2e/long_c.py"]


class Worker:
    """What the scheduler sees of an xdist worker: the tests it was sent, in order."""

    def __init__(self, name: str) -> None:
        self.gateway = SimpleNamespace(id=name)
        self.sent: list[str] = []
        self.shutting_down = False

    def send_runtest_some(self, indices: list[int]) -> None:
        self.sent += [COLLECTION[i] for i in indices]

    def shutdown(self) -> None:
        self.shutting_down = True

    def files(self) -> list[str]:
        return list(dict.fromkeys(nodeid.split("::")[0] for nodeid in self.sent))


def scheduler_with(workers: list[Worker]) -> LongFilesAlone:
    config = SimpleNamespace(getvalue=lambda name: [f"{len(workers)}*popen"], option=SimpleNamespace(loadscopereorder=False))
    schedule = LongFilesAlone(config, long_files=LONG)  # type: ignore[arg-type]
    for worker in workers:
        schedule.add_node(worker)  # type: ignore[arg-type]
        schedule.add_node_collection(worker, COLLECTION)  # type: ignore[arg-type]
    schedule.schedule()
    return schedule


def complete(schedule: LongFilesAlone, worker: Worker, nodeid: str) -> None:
    schedule.mark_test_complete(worker, COLLECTION.index(nodeid))  # type: ignore[arg-type]


def test_a_worker_busy_with_a_long_file_gets_a_quick_file_behind_it_not_the_next_long_one():
    first, second = Worker("gw0"), Worker("gw1")
    schedule = scheduler_with([first, second])
    # Each starts on a long file; stock xdist would queue another file behind a two-test file now.
    assert (first.files(), second.files()) == (["tests/e2e/long_a.py"], ["tests/e2e/long_b.py"])
    complete(schedule, first, "tests/e2e/long_a.py::one")
    # One test of long_a left (its worker waits for a next one to run it): the last quick file.
    assert first.files() == ["tests/e2e/long_a.py", "tests/quick_z.py"]
    complete(schedule, first, "tests/e2e/long_a.py::two")
    # Done with the long file: the queue's head again, the next long file, queued behind quick_z.
    assert first.files() == ["tests/e2e/long_a.py", "tests/quick_z.py", "tests/e2e/long_c.py"]


def test_every_file_runs_once_and_every_worker_is_shut_down_at_the_end():
    workers = [Worker("gw0"), Worker("gw1")]
    schedule = scheduler_with(workers)
    done: set[str] = set()
    while pending := [(w, n) for w in workers for n in w.sent if n not in done]:
        worker, nodeid = pending[0]
        done.add(nodeid)
        complete(schedule, worker, nodeid)
    assert sorted(n for w in workers for n in w.sent) == sorted(COLLECTION)
    assert all(worker.shutting_down for worker in workers)
