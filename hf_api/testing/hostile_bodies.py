"""Answers of a hostile or broken server, for the fake HF server's fault modes.

Each function returns `(status, headers, body_chunks)`; the chunks are produced lazily, so the
server never holds a gigabyte body or an endless one, and every loop ends once `stop` is set
(the fake server's stop or `release_hangs`), so a test's teardown never waits on them.
"""

from __future__ import annotations

import json
import threading
import zlib
from collections.abc import Iterator
from urllib.parse import parse_qs

Answer = tuple[str, list[tuple[str, str]], Iterator[bytes]]
JSON = ("Content-Type", "application/json; charset=utf-8")
MB = 1024 * 1024
_ITEM = b'{"paper":{"id":"endless"},"title":"a body that never ends"},'


def drip(status: str, headers: list, body: bytes, seconds: float, stop: threading.Event) -> Answer:
    """The given answer, its body sent one byte every `seconds` (the rest at once after stop)."""

    def chunks() -> Iterator[bytes]:
        for index in range(len(body)):
            if stop.wait(seconds):
                yield body[index:]
                return
            yield body[index : index + 1]

    return status, headers, chunks()


def gzip_bomb(megabytes: float, stop: threading.Event) -> Answer:
    """200 `Content-Encoding: gzip`: about 1 KB per MB on the wire, `megabytes` once decoded.

    The decoded text is `[` and spaces, a prefix of valid JSON that a client would have to read
    to the end to judge.
    """

    def chunks() -> Iterator[bytes]:
        compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
        pending = compressor.compress(b"[")
        block = b" " * MB
        for _ in range(int(megabytes)):
            if stop.is_set():
                break
            pending += compressor.compress(block)
            # Sent in 64 KB writes, as a file on disk would be: each one decodes to ~64 MB.
            if len(pending) >= 64 * 1024:
                yield pending
                pending = b""
        yield pending + compressor.compress(b"]") + compressor.flush()

    return "200 OK", [JSON, ("Content-Encoding", "gzip")], chunks()


def endless(stop: threading.Event) -> Answer:
    """200 with a JSON array that never closes (no Content-Length: chunked until stop)."""

    def chunks() -> Iterator[bytes]:
        yield b"["
        block = _ITEM * (64 * 1024 // len(_ITEM))
        while not stop.is_set():
            yield block

    return "200 OK", [JSON], chunks()


def big(megabytes: float) -> Answer:
    """200 with a valid, empty JSON array padded to `megabytes`, announced by Content-Length."""
    size = int(megabytes * MB)

    def chunks() -> Iterator[bytes]:
        yield b"["
        left = size - 2
        while left > 0:
            step = min(left, MB)
            yield b" " * step
            left -= step
        yield b"]"

    return "200 OK", [JSON, ("Content-Length", str(size))], chunks()


def endless_page(query_string: str) -> Answer:
    """A full page of new items for any `p`: a listing whose paging never ends."""
    query = parse_qs(query_string)
    day = query.get("date", ["?"])[-1]
    page = query.get("p", ["0"])[-1]
    limit = int(query.get("limit", ["100"])[-1])
    items = [{"paper": {"id": f"{day}-p{page}-{i}"}, "title": f"item {i} of page {page}"} for i in range(limit)]
    body = json.dumps(items).encode()
    return "200 OK", [JSON, ("Content-Length", str(len(body)))], iter([body])
