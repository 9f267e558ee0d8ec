"""A day's pages -> the records to load, the records to quarantine, and how many duplicates were dropped."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from transforms.page_reading import REJECT_SCHEMA, read_pages, record_texts
from transforms.raw_fields import PAPER_ID
from transforms.record_rules import Check, rejection_reason


@dataclass(frozen=True)
class DayRecords:
    """Checked raw items (one per paper id, record order), rejects (REJECT_SCHEMA) and duplicates dropped."""

    items: pl.DataFrame
    rejects: pl.DataFrame
    duplicates: int


def screen_records(pages: list[bytes], schema: pl.Schema, checks: list[Check]) -> DayRecords:
    """Read the pages, set aside records that fail a type or a check, keep the first record of each paper id.

    A paper id listed twice in one day (pages shifting while votes change) keeps
    its first record in page order; the later copies are dropped, not counted
    and not quarantined. Quarantined records are never deduplicated.
    """
    read = read_pages(pages, schema)
    judged = read.items.with_columns(rejection_reason(checks))
    failed = judged.filter(pl.col("reason").is_not_null())
    passed = judged.filter(pl.col("reason").is_null()).drop("reason")
    unique = _first_record_per_paper(passed)
    rejects = pl.concat([read.rejects, _rule_rejects(failed, pages, read.page_sizes)]).sort("record_index")
    return DayRecords(items=unique, rejects=rejects, duplicates=passed.height - unique.height)


def _first_record_per_paper(items: pl.DataFrame) -> pl.DataFrame:
    return (
        items.with_columns(PAPER_ID.alias("_paper_id"))
        .unique(subset="_paper_id", keep="first", maintain_order=True)
        .drop("_paper_id")
    )


def _rule_rejects(failed: pl.DataFrame, pages: list[bytes], page_sizes: tuple[int, ...]) -> pl.DataFrame:
    if failed.is_empty():
        return pl.DataFrame(schema=REJECT_SCHEMA)
    indices = failed.get_column("record_index").to_list()
    texts = record_texts(pages, page_sizes, set(indices))
    return failed.select(
        pl.col("record_index"),
        PAPER_ID.alias("paper_id"),
        pl.col("reason"),
        pl.Series("raw_record", [texts[index] for index in indices], dtype=pl.Utf8),
    )
