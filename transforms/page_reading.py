"""Read listing pages into raw item frames with an explicit schema, strictly.

Fast path: Polars reads each whole page. A page falls back to the slow path
(split into records, each type-checked in Python) when Polars refuses it, or
when a scan of the page text finds a value Polars would quietly coerce instead
of refusing (a number where a string belongs, 12.5 / true / 10+ digits where an
integer belongs, a scalar for a list). Records of the wrong type come back as
rejects with a reason; the rest load.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from transforms.json_records import RawRecord, split_page
from transforms.record_types import type_problem

if TYPE_CHECKING:
    from polars._typing import PolarsDataType

REJECT_SCHEMA = pl.Schema(
    {"fetch": pl.Int32, "record_index": pl.Int32, "paper_id": pl.Utf8, "reason": pl.Utf8, "raw_record": pl.Utf8}
)
_ARRAY_START = re.compile(rb"\s*\[")


Reject = tuple[int, int, "str | None", str, str]  # a REJECT_SCHEMA row


@dataclass(frozen=True)
class PagesRead:
    """Readable records (`record_index` + schema columns), type rejects (REJECT_SCHEMA rows), page sizes."""

    items: pl.DataFrame
    rejects: list[Reject]
    page_sizes: tuple[int, ...]


def read_pages(pages: list[bytes], schema: pl.Schema, fetch: int, suspicious: list[bool]) -> PagesRead:
    """Read the pages of one fetch; `record_index` counts records from 0 across its pages in order.

    `fetch` (the fetch's position in a batch) labels the rejects; `suspicious` comes from suspicious_pages.
    """
    frames, rejects, sizes = [], [], []
    offset = 0
    for page_index, (page, needs_checking) in enumerate(zip(pages, suspicious, strict=True)):
        frame = None if needs_checking else _read_whole_page(page, schema)
        if frame is None:
            records = split_page(page, page_index)
            frame, page_rejects = _read_record_by_record(records, schema, fetch, offset)
            rejects.extend(page_rejects)
            size = len(records)
        else:
            size = frame.height
            frame = frame.with_row_index("record_index", offset)
        frames.append(frame)
        sizes.append(size)
        offset += size
    items = frames[0] if len(frames) == 1 else pl.concat(frames) if frames else _empty_items(schema)
    return PagesRead(items=items, rejects=rejects, page_sizes=tuple(sizes))


def suspicious_pages(pages: list[bytes], schema: pl.Schema) -> list[bool]:
    """For each page: could Polars misread it quietly (or is it not UTF-8)? One vectorised scan for all pages."""
    if not pages:
        return []
    pattern = _coercible_value_pattern(schema)
    try:
        return pl.Series(pages, dtype=pl.Binary).cast(pl.Utf8).str.contains(pattern).to_list()
    except pl.exceptions.ComputeError:
        # Some page is not UTF-8: flag that one (split_page will name it), scan the others.
        return [_page_is_suspicious(page, pattern) for page in pages]


def _page_is_suspicious(page: bytes, pattern: str) -> bool:
    try:
        return pl.Series([page], dtype=pl.Binary).cast(pl.Utf8).str.contains(pattern).item()
    except pl.exceptions.ComputeError:
        return True


def record_texts(pages: list[bytes], page_sizes: tuple[int, ...], indices: set[int]) -> dict[int, str]:
    """The verbatim JSON text of the records at `indices` (splitting only the pages that hold them)."""
    texts: dict[int, str] = {}
    offset = 0
    for page_index, (page, size) in enumerate(zip(pages, page_sizes, strict=True)):
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


def _read_whole_page(page: bytes, schema: pl.Schema) -> pl.DataFrame | None:
    # Polars reads a top-level object as one row: an error body must not pass as a record.
    if not _ARRAY_START.match(page):
        return None
    try:
        return pl.read_json(io.BytesIO(page), schema=schema)
    except pl.exceptions.PolarsError:
        return None


def _read_record_by_record(
    records: list[RawRecord], schema: pl.Schema, fetch: int, offset: int
) -> tuple[pl.DataFrame, list[Reject]]:
    good_indices, good_texts, rejects = [], [], []
    for position, record in enumerate(records):
        problem = type_problem(record.value, schema)
        if problem is None:
            good_indices.append(offset + position)
            good_texts.append(record.text)
        else:
            rejects.append((fetch, offset + position, readable_paper_id(record.value), problem, record.text))
    if not good_texts:
        return _empty_items(schema), rejects
    frame = pl.read_json(io.BytesIO(("[" + ",".join(good_texts) + "]").encode()), schema=schema)
    return frame.insert_column(0, pl.Series("record_index", good_indices, dtype=pl.UInt32)), rejects


def _empty_items(schema: pl.Schema) -> pl.DataFrame:
    return pl.DataFrame(schema={"record_index": pl.UInt32, **schema})


def _coercible_value_pattern(schema: pl.Schema) -> str:
    """Regex for `"key": value` pairs whose value Polars would coerce into the schema's type instead of refusing."""
    kinds: dict[str, set[str]] = {}
    _collect_key_kinds(dict(schema), kinds)

    def keys(kind: str) -> str:
        return "|".join(sorted(re.escape(key) for key, found in kinds.items() if found == {kind}))

    # What may not start each kind's value; null is always allowed.
    bad_start = {
        "string": r'[^"\sn]',
        "integer": r"(?:[^-\d\sn]|-?\d{10}|-?\d+[.eE]|-\D)",  # 10+ digits may not fit Int32: checked slowly
        "list": r"[^\[\sn]",
    }
    return "|".join(f'"(?:{keys(kind)})"\\s*:\\s*{start}' for kind, start in bad_start.items() if keys(kind))


def _collect_key_kinds(fields: dict[str, PolarsDataType], kinds: dict[str, set[str]]) -> None:
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
