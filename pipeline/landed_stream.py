"""The landed days of a run read as they land, for a load that starts before the fetch ends.

Each day is checked against its manifest as it arrives (landing/raw_reading.py): an unreadable
older fetch is skipped with a warning, a day whose newest fetch is unreadable fails alone (its
failure recorded in the raw store), and the readable days go on to the load in order. No Dagster
here: `log` is any logger with `warning` and `error`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from landing.raw_reading import UnreadableFetch, read_landed_days
from landing.raw_store import RawFetch, record_failure
from pipeline.load_days import LOAD_CHUNK_BYTES, Replayable, stream_chunks


class LandedStream:
    """The readable days among `landed` (day, fetch) pairs, read once each, in their order.

    `readable`, `failed` and `skipped` hold what was read so far, as `read_landed_days` would
    report it for those days; they are complete once `chunks` (or `readable_days`) is exhausted.
    """

    def __init__(self, raw_dir: Path, landed: Iterable[tuple[date, RawFetch]], run_id: str, log) -> None:
        self._raw_dir = raw_dir
        self._landed = iter(landed)
        self._run_id = run_id
        self._log = log
        self._first: tuple[date, list[RawFetch]] | None = None
        self.readable: dict[date, list[RawFetch]] = {}
        self.failed: dict[date, str] = {}
        self.skipped: list[UnreadableFetch] = []
        self._chunks = Replayable(stream_chunks(self._readable_days(), LOAD_CHUNK_BYTES))

    def wait_for_first(self) -> bool:
        """Read on until the first readable day; False when no day is readable."""
        if self._first is None:
            self._first = next(self._read_on(), None)
        return self._first is not None

    def chunks(self) -> Replayable[dict[date, list[RawFetch]]]:
        """The readable days cut into load chunks (pipeline/load_days.py `stream_chunks`), each
        handed on once complete; every pass starts again from the first chunk."""
        return self._chunks

    def _readable_days(self) -> Iterator[tuple[date, list[RawFetch]]]:
        self.wait_for_first()
        if self._first is not None:
            yield self._first
            yield from self._read_on()

    def _read_on(self) -> Iterator[tuple[date, list[RawFetch]]]:
        for day, _ in self._landed:
            read = read_landed_days(self._raw_dir, [day])
            for skipped in read.skipped:
                self._log.warning(f"{skipped.listing_date}: skipped an older fetch, {skipped.describe()}")
            self.skipped += read.skipped
            for failed_day, reason in read.failed.items():
                self._log.error(f"{failed_day}: {reason}")
                record_failure(self._raw_dir, failed_day, reason, self._run_id)
            self.failed.update(read.failed)
            if day in read.readable:
                self.readable[day] = read.readable[day]
                yield day, read.readable[day]
