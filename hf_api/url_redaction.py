"""Credentials never leave in a URL: `https://user:secret@host/` is shown as `https://***@host/`.

HF_API_BASE_URL may carry a user:password for a gateway; the request needs them, but every URL
that is written down (raw manifests, errors, logs, reprs) goes through `redact_userinfo` first.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

REDACTED = "***"


def redact_userinfo(url: str) -> str:
    """`url` with its userinfo (user, password or both) replaced by `***`; else unchanged."""
    try:
        parts = urlsplit(url)
    except ValueError:
        # Not a URL we can take apart: keep nothing after a scheme's "//" that could be a secret.
        return REDACTED if "@" in url else url
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{REDACTED}@{host}"))
