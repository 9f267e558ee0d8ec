"""The metadata a load reports on the table assets: each day's own counts and a small preview of
that day; the whole tables' row counts once, on the run's last day.

A ranged run reports one materialization per asset per day. Run-wide figures on each of them
repeated the whole run's numbers on every day (a quarter's per-day counts, 92 times), so the UI
showed a partition figures that were not about it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import dagster as dg
import polars as pl

from orchestration.ingest.descriptions import TABLE_DESCRIPTIONS
from warehouse.load import LoadOutcome

# Tables whose rows belong to one listing day; `authors` is shared across days.
_PER_DAY_COUNTS = {
    "papers": lambda o: o.papers if o.replaced else o.previous_papers,
    "paper_authors": lambda o: o.paper_authors,
    "votes": lambda o: o.votes,
    "quarantined_records": lambda o: o.quarantined,
}
PREVIEW_ROWS_PER_DAY = 3


@dataclass
class RunMetadata:
    """Metadata per asset name: `by_day[name][day]` for each day's materialization, and
    `last_day[name]` (run-wide figures) added to the run's last day."""

    by_day: dict[str, dict[date, dict]] = field(default_factory=dict)
    last_day: dict[str, dict] = field(default_factory=dict)

    def for_day(self, name: str, day: date, last: date) -> dict:
        """What the materialization of asset `name` for `day` carries (`last`: the run's last day)."""
        return {**self.by_day.get(name, {}).get(day, {}), **(self.last_day.get(name, {}) if day == last else {})}


def table_metadata(con, outcomes: list[LoadOutcome]) -> RunMetadata:
    """Per day: each table's rows of that day, papers loaded and the day's top papers; on the last
    day: every table's row count and the run's papers per day."""
    metadata = RunMetadata()
    previews = _previews(con, [o.listing_date for o in outcomes])
    for name, count in _PER_DAY_COUNTS.items():
        metadata.by_day[name] = {o.listing_date: {"dagster/row_count": count(o)} for o in outcomes}
    for outcome in outcomes:
        day = metadata.by_day["papers"][outcome.listing_date]
        day["papers_loaded"] = outcome.papers
        if not outcome.replaced:
            day["kept_existing_rows"] = outcome.previous_papers
        day["preview"] = dg.MetadataValue.md(previews.get(outcome.listing_date, "(no rows)"))
    for name, rows in _table_counts(con).items():
        metadata.last_day[name] = {"table_rows": rows} | ({} if name in _PER_DAY_COUNTS else {"dagster/row_count": rows})
    metadata.last_day["papers"] |= {
        "papers_loaded_by_day": dg.MetadataValue.json({o.listing_date.isoformat(): o.papers for o in outcomes}),
        "kept_existing_rows_for": dg.MetadataValue.json([o.listing_date.isoformat() for o in outcomes if not o.replaced]),
    }
    return metadata


def _table_counts(con) -> dict[str, int]:
    names = list(TABLE_DESCRIPTIONS)
    return {name: con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0] for name in names}


def _previews(con, days: list[date]) -> dict[date, str]:
    """Each day's most upvoted papers as a Markdown table, one query for all days."""
    frame = con.sql(
        "SELECT listing_date, paper_id, upvotes, left(title, 70) AS title FROM papers "
        "WHERE listing_date = ANY($days) "
        "QUALIFY row_number() OVER (PARTITION BY listing_date ORDER BY upvotes DESC, paper_id) <= $rows "
        "ORDER BY listing_date, upvotes DESC, paper_id",
        params={"days": days, "rows": PREVIEW_ROWS_PER_DAY},
    ).pl()
    return {
        day: markdown_table(rows.drop("listing_date")) for (day,), rows in frame.group_by("listing_date", maintain_order=True)
    }


def markdown_table(frame: pl.DataFrame) -> str:
    """A small frame as a Markdown table, for asset metadata previews."""
    if frame.height == 0:
        return "(no rows)"
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "---|" * frame.width
    rows = ["| " + " | ".join(str(v).replace("|", "/") for v in row) + " |" for row in frame.rows()]
    return "\n".join([header, rule, *rows])
