"""Fault scripts for the fake HF server: what to answer for each listing date, in order.

A plan maps a date ("YYYY-MM-DD", or "*" for any date without its own entry) to either a list of
steps consumed one per request and then "ok", or "always:<step>". Steps:

    ok                       the recorded answer
    429 | 503 | 404 | ...    that status with a JSON error body; for any status, options after a
                             colon, comma-separated: retry-after=N (seconds), retry-after-date=N
                             (an HTTP-date N s ahead), ratelimit-t=N (HF's `RateLimit` header)
    slow[:S]                 the recorded answer, pausing S s (default 0.5) halfway through the body
    hang[:S]                 no answer for S s (default 30), then the recorded answer
    truncated                Content-Length of the full body, half of it sent, connection closed
    invalid-json             200 with the first half of the body and a matching Content-Length
    html                     200 with an HTML page (what a proxy or login wall sends)
    json-object              200 with a JSON object instead of an array
    ignore-p                 the recorded page 0 whatever `p` asks (a server that ignores p)
    drip[:S]                 the recorded answer, its body one byte every S s (default 1)
    gzip-bomb[:MB]           200, Content-Encoding gzip, ~1 KB per MB sent, MB (default 1024) decoded
    endless                  200 with a JSON array that never ends (chunked, until the server stops)
    big[:MB]                 200 with a valid `[ ... ]` of MB megabytes (default 200), Content-Length set
    endless-pages            a full page of new items for every `p`, so paging never ends
    (a long Retry-After is a status option: "429:retry-after=119")

Example: {"2024-05-27": ["429:retry-after=1", "503", "ok"], "2024-12-25": "always:503"}
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass

_DATE_KEY = re.compile(r"^(\d{4}-\d{2}-\d{2}|\*)$")
_STATUS_OPTIONS = {"retry-after", "retry-after-date", "ratelimit-t"}
_BODY_KINDS = {"ok", "truncated", "invalid-json", "html", "json-object", "ignore-p", "endless", "endless-pages"}
_TIMED_KINDS = {"slow": 0.5, "hang": 30.0, "drip": 1.0}
_SIZED_KINDS = {"gzip-bomb": 1024.0, "big": 200.0}

FaultSpec = Mapping[str, "str | list[str]"]


@dataclass(frozen=True)
class Fault:
    """One parsed step. kind: "status", a timed or sized kind, or one of the body kinds above."""

    spec: str
    kind: str
    status: int = 200
    seconds: float = 0.0
    megabytes: float = 0.0
    retry_after: float | None = None
    retry_after_date: float | None = None
    ratelimit_t: int | None = None


OK = Fault("ok", "ok")


def _number(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{where}: {text!r} is not a number") from None
    if value < 0:
        raise ValueError(f"{where}: {text!r} must not be negative")
    return value


def parse_step(spec: str, where: str = "fault") -> Fault:
    """Parse one step such as "429:retry-after=1" or "slow:0.2"; ValueError says what is wrong."""
    where = f"{where} {spec!r}"
    head, _, rest = spec.strip().partition(":")
    if head in _BODY_KINDS and not rest:
        return Fault(spec, head)
    if head in _TIMED_KINDS:
        seconds = _number(rest, where) if rest else _TIMED_KINDS[head]
        return Fault(spec, head, seconds=seconds)
    if head in _SIZED_KINDS:
        megabytes = _number(rest, where) if rest else _SIZED_KINDS[head]
        return Fault(spec, head, megabytes=megabytes)
    if not (head.isdigit() and 400 <= int(head) <= 599):
        raise ValueError(
            f"{where}: expected ok, a status 400-599, slow[:S], hang[:S], drip[:S], "
            "gzip-bomb[:MB], big[:MB], truncated, invalid-json, html, json-object, ignore-p, "
            "endless or endless-pages"
        )
    options: dict[str, float] = {}
    for option in filter(None, rest.split(",")):
        key, eq, value = option.partition("=")
        if key not in _STATUS_OPTIONS or not eq:
            known = sorted(_STATUS_OPTIONS)
            raise ValueError(f"{where}: unknown option {option!r}; known: {known}")
        options[key] = _number(value, where)
    ratelimit_t = options.get("ratelimit-t")
    return Fault(
        spec,
        "status",
        status=int(head),
        retry_after=options.get("retry-after"),
        retry_after_date=options.get("retry-after-date"),
        ratelimit_t=int(ratelimit_t) if ratelimit_t is not None else None,
    )


class FaultPlan:
    """The per-date scripts, consumed thread-safely one step per request."""

    def __init__(self, faults: FaultSpec | None = None) -> None:
        self._lock = threading.Lock()
        self._scripts: dict[str, list[Fault]] = {}
        self._always: dict[str, Fault] = {}
        for key, value in (faults or {}).items():
            if not _DATE_KEY.match(key):
                raise ValueError(f"fault plan key {key!r}: expected YYYY-MM-DD or '*'")
            if isinstance(value, str):
                if not value.startswith("always:"):
                    raise ValueError(f"faults[{key!r}]: a string must be 'always:<step>'")
                self._always[key] = parse_step(value.removeprefix("always:"), f"faults[{key!r}]")
            elif isinstance(value, list):
                self._scripts[key] = [parse_step(s, f"faults[{key!r}]") for s in value]
            else:
                raise ValueError(f"faults[{key!r}]: expected a list of steps or 'always:<step>'")

    def next_for(self, date_key: str | None) -> Fault:
        """The step for the next request of `date_key` (consumed), falling back to "*"."""
        with self._lock:
            for key in (date_key, "*"):
                if key in self._always:
                    return self._always[key]
                if key in self._scripts:
                    script = self._scripts[key]
                    return script.pop(0) if script else OK
        return OK
