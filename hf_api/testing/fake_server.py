"""A real local HTTP server that plays the HF Daily Papers API, with faults and instruments.

In pytest::

    with FakeHFServer(days_dir, faults={"2024-05-27": ["429:retry-after=1", "ok"]}) as server:
        HFClient(server.base_url).fetch_day(date(2024, 5, 27))
        server.hits["2024-05-27"], server.requests, server.max_in_flight

As a process (for end-to-end tests that run `dagster dev` in a subprocess)::

    python -m hf_api.testing.fake_server --days-dir D --port 0 --faults faults.json

prints `FAKE_HF_SERVER_URL=http://127.0.0.1:PORT` once listening, and serves
`GET /_fake/stats` (the instruments as JSON), `POST /_fake/faults` (a new fault plan as the JSON
body) and `POST /_fake/reset` (no faults, instruments cleared). Fault syntax: hf_api/testing/faults.py.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from hf_api.sample_replay import BUNDLED_SAMPLE_DIR, json_response, make_replay_app
from hf_api.testing.fault_app import FaultInjector, Instruments, RequestRecord
from hf_api.testing.faults import FaultPlan, FaultSpec

# How long stop() waits for the requests in flight to finish once it has woken the hanging ones.
DRAIN_S = 5.0


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


class FakeHFServer:
    """Serves recorded days from `days_dir` on 127.0.0.1 in a background thread."""

    def __init__(
        self,
        days_dir: Path = BUNDLED_SAMPLE_DIR,
        faults: FaultSpec | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        quiet: bool = True,
    ) -> None:
        self._stop = threading.Event()
        self._injector = FaultInjector(make_replay_app(days_dir), FaultPlan(faults), self._stop)
        handler = _QuietHandler if quiet else WSGIRequestHandler
        self._server = make_server(host, port, self._app, threaded=True, request_handler=handler)
        self.base_url = f"http://{host}:{self._server.port}"
        self._thread: threading.Thread | None = None

    def start(self) -> FakeHFServer:
        """Start serving in a daemon thread."""
        # A short poll keeps stop() quick; the default 0.5 s adds up over a test suite.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; wakes any request that is hanging or slow on purpose, and lets the
        requests in flight finish (up to DRAIN_S) so that `requests` holds every one of them."""
        self._stop.set()
        # A client can have a whole answer before the server's thread records it (the record is
        # made when the response closes, after its last byte is written): a test that reads
        # `requests` right after its last call must not miss that call.
        deadline = time.monotonic() + DRAIN_S
        while self.instruments.in_flight and time.monotonic() < deadline:
            time.sleep(0.005)
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def release_hangs(self) -> None:
        """End every hang and stall now and from now on (they are cut short, not skipped)."""
        self._stop.set()

    def __enter__(self) -> FakeHFServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def instruments(self) -> Instruments:
        """The live instruments (request log, hit counts, in-flight counters)."""
        return self._injector.instruments

    @property
    def requests(self) -> list[RequestRecord]:
        """Every request served so far (finished), in the order they arrived."""
        return list(self.instruments.requests)

    @property
    def hits(self) -> dict[str, int]:
        """Requests per listing date (the `date` query value)."""
        return dict(self.instruments.hits)

    @property
    def max_in_flight(self) -> int:
        """The most requests the server was answering at the same moment."""
        return self.instruments.max_in_flight

    def reset_faults(self, faults: FaultSpec | None = None) -> None:
        """Replace the fault plan (None: answer every request normally)."""
        self._injector.plan = FaultPlan(faults)

    def reset_instruments(self) -> None:
        """Forget the request log, hit counts and the in-flight high-water mark."""
        self._injector.instruments = Instruments()

    def _app(self, environ: dict, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/_fake/"):
            return self._injector(environ, start_response)
        try:
            answer = self._control(path, environ)
        except ValueError as exc:
            body = json.dumps({"error": str(exc)}).encode()
            return json_response(start_response, "400 Bad Request", body)
        if answer is None:
            return json_response(start_response, "404 Not Found", b'{"error":"Not Found"}')
        return json_response(start_response, "200 OK", json.dumps(answer).encode())

    def _control(self, path: str, environ: dict) -> dict | None:
        if path == "/_fake/stats":
            return self.instruments.snapshot()
        if environ.get("REQUEST_METHOD") != "POST":
            return None
        if path == "/_fake/faults":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            self.reset_faults(json.loads(environ["wsgi.input"].read(length) or b"{}"))
            return {"ok": True}
        if path == "/_fake/reset":
            self.reset_faults()
            self.reset_instruments()
            return {"ok": True}
        return None


def main(argv: list[str] | None = None) -> int:
    """Run the fake server until SIGTERM or Ctrl-C."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days-dir", type=Path, default=BUNDLED_SAMPLE_DIR)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--faults", type=Path, help="JSON file with the fault plan")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    faults = json.loads(args.faults.read_text()) if args.faults else None
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    server = FakeHFServer(args.days_dir, faults, host=args.host, port=args.port, quiet=not args.verbose)
    with server:
        print(f"FAKE_HF_SERVER_URL={server.base_url}", flush=True)
        try:
            while not done.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
