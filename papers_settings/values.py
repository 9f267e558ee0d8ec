"""Turning one environment variable's text into a checked value, or a clear error naming it.

The one rule for every variable: surrounding spaces are dropped, and an empty value counts as
unset (the default applies).
"""

from __future__ import annotations

from collections.abc import Mapping

from hf_api.url_redaction import redact_userinfo


class SettingsError(ValueError):
    """An environment variable holds a value the product cannot use; the message names it."""


def text(environ: Mapping[str, str], name: str) -> str | None:
    """The variable's text without surrounding spaces; None when unset or empty."""
    value = environ.get(name, "").strip()
    return value or None


def whole_number(environ: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    """A whole number >= `minimum`, or `default` when unset."""
    raw = text(environ, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or value < minimum:
        raise SettingsError(f"{name}={raw!r} is not a whole number >= {minimum}")
    return value


def number(environ: Mapping[str, str], name: str, default: float, minimum: float, *, above: bool = False) -> float:
    """A finite number >= `minimum` (> `minimum` when `above`), or `default` when unset."""
    raw = text(environ, name)
    if raw is None:
        return default
    bound = f"> {minimum:g}" if above else f">= {minimum:g}"
    try:
        value = float(raw)
    except ValueError:
        value = None
    if (
        value is None
        or value != value
        or value in (float("inf"), float("-inf"))
        or value < minimum
        or (above and value == minimum)
    ):
        raise SettingsError(f"{name}={raw!r} is not a number {bound}")
    return value


def hour(environ: Mapping[str, str], name: str, default: int) -> int:
    """A whole UTC hour from 0 to 23, or `default` when unset."""
    raw = text(environ, name)
    if raw is None:
        return default
    if not raw.isdigit() or not 0 <= int(raw) <= 23:
        raise SettingsError(f"{name}={raw!r} is not a whole hour from 0 to 23 (UTC)")
    return int(raw)


def http_url(environ: Mapping[str, str], name: str, default: str, *, also: str | None = None) -> str:
    """An http:// or https:// URL without a trailing slash (or the literal `also`), else `default`."""
    raw = text(environ, name)
    if raw is None:
        return default
    if raw == also:
        return raw
    if not raw.startswith(("http://", "https://")):
        extra = f" (or be {also!r} for the bundled sample)" if also else ""
        raise SettingsError(f"{name}={redact_userinfo(raw)!r} must start with http:// or https://{extra}")
    return raw
