"""Read a day's listing pages into one raw item frame with an explicit schema.

Fast path: Polars reads each whole page. A page falls back to the slow path
(split into records, each type-checked in Python) when Polars refuses it, or
when a cheap byte scan sees a value Polars would quietly coerce (a number where
a string belongs, 12.5 or true where an integer belongs, a scalar for a list).
Records of the wrong type come back as rejects with a reason; the rest load.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import polars as pl

from transforms.json_records import ListingPageError, RawRecord, split_page
from transforms.record_types import type_problem

REJECT_SCHEMA = pl.Schema(
    {"record_index": pl.Int32, "paper_id": pl.Utf8, "reason": pl.Utf8, "raw_record": pl.Utf8}
)
_ARRAY_START = re.compile(rb"\s*\[")


@dataclass(frozen=True)
class PagesRead:
    """Readable records (`record_index` + schema columns), type rejects, and each page's record count."""

    items: pl.DataFrame
    rejects: pl.DataFrame
    page_sizes: tuple[int, ...]


def read_pages(pages: list[bytes], schema: pl.Schema) -> PagesRead:
    """Read every page; `record_index` counts records from 0 across the pages in order."""
    suspicious = _suspicious_value_pattern(schema)
    frames, rejects, sizes = [], [], []
    offset = 0
    for page_index, page in enumerate(pages):
        frame = _read_whole_page(page, schema, suspicious)
        if frame is None:
            records = split_page(page, page_index)
            frame, page_rejects = _read_record_by_record(records, schema, offset)
            rejects.extend(page_rejects)
            size = len(records)
        else:
            size = frame.height
            frame = frame.select(pl.int_range(offset, offset + size, dtype=pl.Int32).alias("record_index"), pl.all())
        frames.append(frame)
        sizes.append(size)
        offset += size
    items = pl.concat(frames, how="vertical") if frames else _empty_items(schema)
    return PagesRead(items=items, rejects=pl.DataFrame(rejects, schema=REJECT_SCHEMA, orient="row"), page_sizes=tuple(sizes))


def record_texts(pages: list[bytes], page_sizes: tuple[int, ...], indices: set[int]) -> dict[int, str]:
    """The verbatim JSON text of the records at `indices` (splitting only the pages that hold them)."""
    texts: dict[int, str] = {}
    offset = 0
    for page_index, (page, size) in enumerate(zip(pages, page_sizes)):
        wanted = {index for index in indices if offset <= index < offset + size}
        if wanted:
            records = split_page(page, page_index)
            texts.update({index: records[index - offset].text for index in wanted})
        offset += size
    return texts


def readable_paper_id(value: object) -> str | None:
    """`paper.id` of a parsed record when it is there as a string, else None."""
    paper = value.get("paper") if isinstance(value, dict) else None
    paper_id = paper.get("id") if isinstance(paper, dict) else None
    return paper_id if isinstance(paper_id, str) else None


def _read_whole_page(page: bytes, schema: pl.Schema, suspicious: re.Pattern[bytes]) -> pl.DataFrame | None:
    # Polars reads a top-level object as one row: an error body must not pass as a record.
    if not _ARRAY_START.match(page) or suspicious.search(page):
        return None
    try:
        return pl.read_json(io.BytesIO(page), schema=schema)
    except pl.exceptions.PolarsError:
        return None


def _read_record_by_record(
    records: list[RawRecord], schema: pl.Schema, offset: int
) -> tuple[pl.DataFrame, list[tuple[int, str | None, str, str]]]:
    good_indices, good_texts, rejects = [], [], []
    for position, record in enumerate(records):
        problem = type_problem(record.value, schema)
        if problem is None:
            good_indices.append(offset + position)
            good_texts.append(record.text)
        else:
            rejects.append((offset + position, readable_paper_id(record.value), problem, record.text))
    if not good_texts:
        return _empty_items(schema), rejects
    frame = pl.read_json(io.BytesIO(("[" + ",".join(good_texts) + "]").encode()), schema=schema)
    return frame.select(pl.Series("record_index", good_indices, dtype=pl.Int32), pl.all()), rejects


def _empty_items(schema: pl.Schema) -> pl.DataFrame:
    return pl.DataFrame(schema={"record_index": pl.Int32, **schema})


def _suspicious_value_pattern(schema: pl.Schema) -> re.Pattern[bytes]:
    """Bytes pattern for `"key": value` pairs whose JSON value Polars would coerce instead of refusing."""
    kinds: dict[str, set[str]] = {}
    _collect_key_kinds(dict(schema), kinds)
    by_kind = {kind: sorted(k for k, ks in kinds.items() if ks == {kind}) for kind in ("string", "integer", "list")}
    # What may legitimately follow each kind's key; anything else sends the page to the slow path.
    allowed = {
        "string": rb'"|null',
        "integer": rb"-?\d{1,18}\s*[,}]|null",  # 19+ digits may not fit Int64
        "list": rb"\[|null",
    }
    alternatives = [
        rb'"(?:' + b"|".join(re.escape(k.encode()) for k in keys) + rb')"\s*:\s*(?!' + allowed[kind] + rb")"
        for kind, keys in by_kind.items()
        if keys
    ]
    return re.compile(b"|".join(alternatives))


def _collect_key_kinds(fields: dict[str, pl.DataType], kinds: dict[str, set[str]]) -> None:
    # A key with different kinds at different levels ("user": object or string) cannot be judged by its
    # name alone; Polars refuses the struct-vs-scalar mismatches it has, so leaving it out is safe.
    for key, dtype in fields.items():
        if isinstance(dtype, pl.Struct):
            kinds.setdefault(key, set()).add("object")
            _collect_key_kinds({f.name: f.dtype for f in dtype.fields}, kinds)
        elif isinstance(dtype, pl.List):
            kinds.setdefault(key, set()).add("list")
            if isinstance(dtype.inner, pl.Struct):
                _collect_key_kinds({f.name: f.dtype for f in dtype.inner.fields}, kinds)
        elif dtype == pl.Utf8:
            kinds.setdefault(key, set()).add("string")
        elif dtype.is_integer():
            kinds.setdefault(key, set()).add("integer")
        else:
            kinds.setdefault(key, set()).add("other")


__all__ = ["ListingPageError", "PagesRead", "REJECT_SCHEMA", "read_pages", "readable_paper_id", "record_texts"]
