"""Which records of a batch load, and the quarantine rows for the ones that cannot.

Records are keyed by (fetch, record_index): the fetch's position in the batch
and the record's 0-based position across that fetch's pages.
"""

from __future__ import annotations

import polars as pl

from transforms.page_reading import REJECT_SCHEMA, record_texts

_RECORD_KEY = ["fetch", "record_index"]


def loadable_records(flat: pl.DataFrame, failures: pl.DataFrame) -> tuple[pl.DataFrame, dict[int, int]]:
    """Drop failing records, then keep the first record of each paper id per fetch.

    Returns the kept records and, per fetch that had any, how many duplicates
    were dropped. A paper id listed twice in one fetch (pages shift while votes
    change) keeps its first record in page order; later copies are neither
    loaded, counted nor quarantined.
    """
    passed = flat if failures.is_empty() else flat.join(failures.select(_RECORD_KEY), on=_RECORD_KEY, how="anti")
    first = passed.select(pl.struct("fetch", "paper_id").is_first_distinct()).to_series()
    if first.all():
        return passed, {}
    dropped = passed.filter(~first).group_by("fetch").len()
    return passed.filter(first), dict(dropped.iter_rows())


def slots_of(slots: pl.DataFrame, kept: pl.DataFrame, flat: pl.DataFrame) -> pl.DataFrame:
    """The author slots of the kept records only."""
    if kept.height == flat.height:
        return slots
    return slots.join(kept.select(_RECORD_KEY), on=_RECORD_KEY, how="semi")


def quarantine_rows(
    pages: list[list[bytes]], page_sizes: list[tuple[int, ...]], type_rejects: pl.DataFrame, failures: pl.DataFrame
) -> pl.DataFrame:
    """Type rejects and rule failures together, in record order, each with its verbatim JSON text."""
    if failures.is_empty():
        return type_rejects
    keys = failures.select(_RECORD_KEY).rows()
    texts: dict[tuple[int, int], str] = {}
    for fetch in sorted({fetch for fetch, _ in keys}):
        wanted = {index for f, index in keys if f == fetch}
        found = record_texts(pages[fetch], page_sizes[fetch], wanted)
        texts.update({(fetch, index): text for index, text in found.items()})
    rule_rejects = failures.with_columns(pl.Series("raw_record", [texts[key] for key in keys], dtype=pl.Utf8)).select(
        REJECT_SCHEMA.names()
    )
    return pl.concat([type_rejects, rule_rejects]).sort(_RECORD_KEY)
