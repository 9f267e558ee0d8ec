"""WSGI middleware for the fake HF server: injects the scripted faults and records every request."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from email.utils import formatdate
from urllib.parse import parse_qs, urlencode

from hf_api.sample_replay import DAILY_PAPERS_PATH, WSGIApp
from hf_api.testing import hostile_bodies
from hf_api.testing.faults import Fault, FaultPlan

HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>Hugging Face - The AI community building the future."
    b"</title></head><body><h1>We had to rate limit you.</h1></body></html>"
)


@dataclass(frozen=True)
class RequestRecord:
    """One request the fake served (control endpoints excluded)."""

    path: str
    query: str
    date: str | None
    page: int | None
    status: int | None
    fault: str
    authorized: bool
    started_at: float

    def to_json(self) -> dict:
        """A JSON-ready dict (for the standalone server's /_fake/stats)."""
        return asdict(self)


class Instruments:
    """Request log, per-date hit counts and the in-flight high-water mark, all thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # One slot per request in the order requests ARRIVED, filled when each one finishes: a
        # WSGI response is closed after its bytes are sent, so a client's next request can arrive
        # (and finish) before the previous one is closed; appending at the close reorders them.
        self._slots: list[RequestRecord | None] = []
        self.hits: Counter[str] = Counter()
        # Per slot: when the request arrived, and when its latest chunk was handed to the server.
        # A request stops counting as in flight once its LAST chunk is handed over: the client
        # cannot send its next request before it has that chunk, but werkzeug closes the response
        # (our `leave`) only after writing it, and under load the next request arrives first. A
        # strictly serial client then showed two requests in flight (seen in CI at load 6).
        self._arrived: list[float] = []
        self._handed: list[float | None] = []
        self._finished: list[bool] = []

    @property
    def requests(self) -> list[RequestRecord]:
        """The finished requests, in the order they arrived."""
        with self._lock:
            return [record for record in self._slots if record is not None]

    @property
    def in_flight(self) -> int:
        """Requests not yet finished."""
        with self._lock:
            return self._finished.count(False)

    @property
    def max_in_flight(self) -> int:
        """The most requests in flight at one moment (a request ends at its last chunk)."""
        with self._lock:
            return self._max_in_flight()

    def enter(self, date_key: str | None) -> int:
        """Count a request in; returns its slot for `handed` and `leave`."""
        with self._lock:
            if date_key:
                self.hits[date_key] += 1
            self._slots.append(None)
            self._arrived.append(time.monotonic())
            self._handed.append(None)
            self._finished.append(False)
            return len(self._slots) - 1

    def handed(self, slot: int) -> None:
        """Note that the request in `slot` is handing a chunk of its body to the server now."""
        with self._lock:
            self._handed[slot] = time.monotonic()

    def leave(self, slot: int, record: RequestRecord) -> None:
        """Count the request out with its record; it ended when its last chunk was handed over."""
        with self._lock:
            if self._handed[slot] is None:
                self._handed[slot] = time.monotonic()
            self._finished[slot] = True
            self._slots[slot] = record

    def _max_in_flight(self) -> int:
        pairs = zip(self._handed, self._finished, strict=True)
        ends = [handed if finished and handed is not None else float("inf") for handed, finished in pairs]
        # At equal times an end sorts before an arrival: a request that arrives as another ends
        # did not overlap it.
        events = sorted([(at, 1) for at in self._arrived] + [(at, -1) for at in ends])
        most = current = 0
        for _, step in events:
            current += step
            most = max(most, current)
        return most

    def snapshot(self) -> dict:
        """Everything, as JSON-ready data."""
        with self._lock:
            return {
                "requests": [r.to_json() for r in self._slots if r is not None],
                "hits": dict(self.hits),
                "in_flight": self._finished.count(False),
                "max_in_flight": self._max_in_flight(),
            }


def _collect(app: WSGIApp, environ: dict) -> tuple[str, list[tuple[str, str]], bytes]:
    captured: dict = {}

    def start_response(status, headers, exc_info=None):
        captured.update(status=status, headers=headers)

    body = b"".join(app(environ, start_response))
    return captured["status"], captured["headers"], body


def _status_answer(fault: Fault) -> tuple[str, list[tuple[str, str]], bytes]:
    body = json.dumps({"error": f"fake fault {fault.spec}"}).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    if fault.retry_after is not None:
        headers.append(("Retry-After", f"{fault.retry_after:g}"))
    if fault.retry_after_date is not None:
        when = formatdate(time.time() + fault.retry_after_date, usegmt=True)
        headers.append(("Retry-After", when))
    if fault.ratelimit_t is not None:
        headers.append(("RateLimit", f'"api";r=0;t={fault.ratelimit_t}'))
        headers.append(("RateLimit-Policy", '"fixed window";"api";q=500;w=300'))
    return f"{fault.status} Fake Fault", headers, body


class FaultInjector:
    """Wraps the replay app: answers `/api/daily_papers` through the fault plan, records all."""

    def __init__(self, app: WSGIApp, plan: FaultPlan, stop: threading.Event) -> None:
        self.app = app
        self.plan = plan
        self.instruments = Instruments()
        self._stop = stop

    def __call__(self, environ: dict, start_response) -> Iterator[bytes]:
        query = parse_qs(environ.get("QUERY_STRING", ""))
        is_listing = environ.get("PATH_INFO") == DAILY_PAPERS_PATH
        date_key = query.get("date", [None])[-1] if is_listing else None
        fault = self.plan.next_for(date_key) if is_listing else Fault("ok", "ok")
        page = query.get("p", [None])[-1]
        started_at = time.time()
        # Held for the whole request, so a reset meanwhile cannot unbalance the in-flight count.
        instruments = self.instruments
        slot = instruments.enter(date_key)
        statuses: list[int] = []

        def recording_start_response(status, headers, exc_info=None):
            statuses.append(int(status.split()[0]))
            return start_response(status, headers, exc_info)

        try:
            for chunk in self._answer(fault, environ, recording_start_response):
                instruments.handed(slot)
                yield chunk
        finally:
            instruments.leave(
                slot,
                RequestRecord(
                    path=environ.get("PATH_INFO", ""),
                    query=environ.get("QUERY_STRING", ""),
                    date=date_key,
                    page=int(page) if page and page.isdigit() else None,
                    status=statuses[0] if statuses else None,
                    fault=fault.spec,
                    authorized=bool(environ.get("HTTP_AUTHORIZATION")),
                    started_at=started_at,
                ),
            )

    def _hostile(self, fault: Fault, environ: dict) -> hostile_bodies.Answer | None:
        if fault.kind == "gzip-bomb":
            return hostile_bodies.gzip_bomb(fault.megabytes, self._stop)
        if fault.kind == "endless":
            return hostile_bodies.endless(self._stop)
        if fault.kind == "big":
            return hostile_bodies.big(fault.megabytes)
        if fault.kind == "endless-pages":
            return hostile_bodies.endless_page(environ.get("QUERY_STRING", ""))
        if fault.kind == "drip":
            status, headers, body = _collect(self.app, environ)
            return hostile_bodies.drip(status, headers, body, fault.seconds, self._stop)
        return None

    def _answer(self, fault: Fault, environ: dict, start_response) -> Iterator[bytes]:
        hostile = self._hostile(fault, environ)
        if hostile is not None:
            status, headers, chunks = hostile
            start_response(status, headers)
            yield from chunks
            return
        if fault.kind == "hang":
            self._stop.wait(fault.seconds)
        if fault.kind == "ignore-p":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            query["p"] = ["0"]
            environ = {**environ, "QUERY_STRING": urlencode(query, doseq=True)}
        if fault.kind == "status":
            status, headers, body = _status_answer(fault)
        elif fault.kind == "html":
            status, headers = "200 OK", [("Content-Type", "text/html; charset=utf-8")]
            body = HTML_PAGE
            headers.append(("Content-Length", str(len(body))))
        elif fault.kind == "json-object":
            body = b'{"error":"Internal Error - We\'re working hard to fix this"}'
            status = "200 OK"
            headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        else:
            status, headers, body = _collect(self.app, environ)
        if fault.kind == "invalid-json":
            body = body[: len(body) // 2]
            headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
            headers.append(("Content-Length", str(len(body))))
        start_response(status, headers)
        half = len(body) // 2
        if fault.kind == "truncated":
            # Content-Length still announces the full body; the server then closes the socket.
            yield body[:half]
            return
        if fault.kind == "slow":
            yield body[:half]
            self._stop.wait(fault.seconds)
            yield body[half:]
            return
        yield body
