"""The Atom 1.0 rules (RFC 4287) a feed reader relies on, checked on the XML itself."""

from __future__ import annotations

import re
from datetime import datetime
from xml.etree import ElementTree

ATOM = "{http://www.w3.org/2005/Atom}"
# RFC 3339 date-time: full date, 'T', time with optional fraction, then Z or an offset.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def atom_problems(xml: bytes) -> list[str]:
    """What in `xml` breaks RFC 4287's rules for a feed and its entries (empty: none)."""
    root = ElementTree.fromstring(xml)
    problems = []
    if root.tag != f"{ATOM}feed":
        return [f"root element is {root.tag}, not atom:feed"]
    problems += _exactly_one(root, ("id", "title", "updated"), "feed")
    feed_has_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    ids = []
    for n, entry in enumerate(root.findall(f"{ATOM}entry")):
        where = f"entry {n}"
        problems += _exactly_one(entry, ("id", "title", "updated"), where)
        ids += [e.text for e in entry.findall(f"{ATOM}id")]
        if not feed_has_author and entry.find(f"{ATOM}author/{ATOM}name") is None:
            problems.append(f"{where}: no author and the feed has none")
        if entry.find(f"{ATOM}content") is None and not any(
            link.get("rel", "alternate") == "alternate" for link in entry.findall(f"{ATOM}link")
        ):
            problems.append(f"{where}: neither content nor an alternate link")
        for link in entry.findall(f"{ATOM}link"):
            if not link.get("href"):
                problems.append(f"{where}: a link without href")
    for element in root.iter():
        if element.tag in (f"{ATOM}updated", f"{ATOM}published"):
            if not RFC3339.match(element.text or ""):
                problems.append(f"{element.tag}: {element.text!r} is not an RFC 3339 date-time")
            else:
                datetime.fromisoformat((element.text or "").replace("Z", "+00:00"))
    if len(ids) != len(set(ids)):
        problems.append("entry ids repeat")
    return problems


def _exactly_one(parent: ElementTree.Element, names: tuple[str, ...], where: str) -> list[str]:
    return [
        f"{where}: {len(parent.findall(ATOM + name))} atom:{name} elements (exactly one required)"
        for name in names
        if len(parent.findall(ATOM + name)) != 1 or not (parent.findtext(ATOM + name) or "").strip()
    ]
