"""One GET within the request deadline and the body-size limit.

httpx's timeouts bound each network operation, not the request, and its decoders inflate each
network read whole (a 64 KB read of a gzip bomb becomes 64 MB at once). So the body is read raw
and decompressed here with zlib's `max_length`: memory stays within the limit plus one read,
and the deadline is checked after every read, with every network operation's own timeout cut
to the time left.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime

import httpx

from hf_api.errors import AttemptFailure
from hf_api.limits import MAX_BODY_BYTES_ENV, REQUEST_DEADLINE_ENV, Deadline, FetchLimits
from hf_api.response import failure_for_request_error, failure_for_status

# Only what zlib decodes, so every body can be decompressed with a bound.
ACCEPT_ENCODING = "gzip, deflate"
_ZLIB_WBITS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS | 32}


class _Identity:
    def decompress(self, data: bytes, max_length: int) -> bytes:
        return data

    def flush(self) -> bytes:
        return b""


def deadline_failure(deadline: Deadline, status: int | None = None) -> AttemptFailure:
    """The failure of a request still unfinished at its deadline (retried, like a timeout).

    status: of the answer whose body was still arriving, None when no headers came.
    """
    return AttemptFailure(
        f"no complete answer within the {deadline.seconds:g} s request deadline (raise {REQUEST_DEADLINE_ENV} to allow more)",
        status,
    )


def too_large_failure(max_bytes: int, status: int) -> AttemptFailure:
    """The failure of a body past the size limit; not retried, the same body would come back."""
    return AttemptFailure(
        f"response body larger than the {max_bytes}-byte limit (raise {MAX_BODY_BYTES_ENV} to allow more)",
        status,
        retryable=False,
    )


def capped_timeout(timeout: httpx.Timeout, deadline: Deadline) -> httpx.Timeout:
    """`timeout` with no operation allowed to run past the deadline."""
    left = deadline.remaining()

    def cap(value: float | None) -> float:
        return left if value is None else min(value, left)

    return httpx.Timeout(
        connect=cap(timeout.connect),
        read=cap(timeout.read),
        write=cap(timeout.write),
        pool=cap(timeout.pool),
    )


def _decoder(response: httpx.Response):
    encodings = [
        value.strip().lower()
        for value in response.headers.get_list("content-encoding", split_commas=True)
        if value.strip() and value.strip().lower() != "identity"
    ]
    if not encodings:
        return _Identity()
    if len(encodings) == 1 and encodings[0] in _ZLIB_WBITS:
        return zlib.decompressobj(_ZLIB_WBITS[encodings[0]])
    raise AttemptFailure(
        f"response body has Content-Encoding {', '.join(encodings)!r}, which was not asked for",
        response.status_code,
    )


def read_body(response: httpx.Response, max_bytes: int, deadline: Deadline) -> bytes:
    """The decoded body of a streamed response; AttemptFailure past the size limit or deadline."""
    status = response.status_code
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large_failure(max_bytes, status)
    decoder = _decoder(response)
    body = bytearray()
    try:
        for raw in response.iter_raw():
            # max_length caps what one read may inflate to: one byte past the limit is enough
            # to know it is passed.
            body += decoder.decompress(raw, max_bytes - len(body) + 1)
            if len(body) > max_bytes:
                raise too_large_failure(max_bytes, status)
            if deadline.expired():
                raise deadline_failure(deadline, status)
        body += decoder.flush()
    except zlib.error:
        raise AttemptFailure("response body could not be decoded (bad Content-Encoding)") from None
    if len(body) > max_bytes:
        raise too_large_failure(max_bytes, status)
    return bytes(body)


def bounded_get(http: httpx.Client, url: str, timeout: httpx.Timeout, limits: FetchLimits) -> tuple[bytes, str, int]:
    """GET `url`: (decoded body, content type, status) of a 2xx answer, else AttemptFailure.

    An error answer's body is never read; a request still running at the deadline fails with
    the deadline named, whatever network error the cut produced.
    """
    deadline = Deadline(limits.request_deadline_s)
    status = None
    try:
        with http.stream("GET", url, timeout=capped_timeout(timeout, deadline)) as response:
            status = response.status_code
            failure = failure_for_status(response, datetime.now(UTC))
            if failure is not None:
                raise failure
            body = read_body(response, limits.max_body_bytes, deadline)
    except httpx.RequestError as exc:
        if deadline.expired():
            raise deadline_failure(deadline, status) from exc
        raise failure_for_request_error(exc) from exc
    return body, response.headers.get("content-type", ""), status
