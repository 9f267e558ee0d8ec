"""The metadata a load reports on the table assets: row counts, days loaded, a preview."""

from __future__ import annotations

from datetime import date

import dagster as dg
import polars as pl

from orchestration.ingest.descriptions import TABLE_DESCRIPTIONS
from warehouse.load import LoadOutcome


def table_metadata(con, outcomes: list[LoadOutcome]) -> dict[str, dict]:
    """Row counts per table, plus per-day counts and a preview on `papers`."""
    counts = _table_counts(con)
    metadata: dict[str, dict] = {name: {"table_rows": n, "dagster/row_count": n} for name, n in counts.items()}
    metadata["papers"] |= {
        "papers_loaded_by_day": dg.MetadataValue.json({o.listing_date.isoformat(): o.papers for o in outcomes}),
        "kept_existing_rows_for": dg.MetadataValue.json([o.listing_date.isoformat() for o in outcomes if not o.replaced]),
        "preview": _preview(con, [o.listing_date for o in outcomes]),
    }
    return metadata


def _table_counts(con) -> dict[str, int]:
    names = list(TABLE_DESCRIPTIONS)
    return {name: con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0] for name in names}


def _preview(con, days: list[date]) -> dg.MetadataValue:
    frame = con.sql(
        "SELECT listing_date, paper_id, upvotes, left(title, 70) AS title FROM papers "
        "WHERE listing_date = ANY($days) ORDER BY listing_date DESC, upvotes DESC LIMIT 10",
        params={"days": days},
    ).pl()
    return dg.MetadataValue.md(markdown_table(frame))


def markdown_table(frame: pl.DataFrame) -> str:
    """A small frame as a Markdown table, for asset metadata previews."""
    if frame.height == 0:
        return "(no rows)"
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "---|" * frame.width
    rows = ["| " + " | ".join(str(v).replace("|", "/") for v in row) + " |" for row in frame.rows()]
    return "\n".join([header, rule, *rows])
