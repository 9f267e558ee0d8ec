"""The export's description of itself: `schema.json` (for programs) and `README.md` (the data card).

Both say the same facts: every table's grain, description, files, row counts (per month for the
partitioned ones) and columns with types and descriptions, the listing dates covered, the Parquet
options, and where the data comes from and on what terms.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from warehouse.export.catalog import PARTITION_COLUMN
from warehouse.export.parquet import WrittenTable
from warehouse.export.target import EXPORT_FORMAT, SCHEMA_FILE

FORMAT_VERSION = 1

LICENCE = (
    "This export is not released under a licence of this project: its rows come from others. Paper metadata "
    "(titles, arXiv abstracts, author names, arXiv times) was written by the papers' authors and is distributed "
    "by arXiv; arXiv's metadata policy (https://info.arxiv.org/help/oa/metadataPolicy.html) allows reuse of "
    "article metadata, with links to full texts pointing back to arXiv, while each paper keeps its own licence. "
    "Everything else (Daily Papers listings, upvotes, comments, submitters, organisations, GitHub and project "
    "links, thumbnails, the AI summaries and keywords) comes from the Hugging Face API "
    "(https://huggingface.co/papers) under Hugging Face's terms of service "
    "(https://huggingface.co/terms-of-service). Check both before you redistribute the data."
)

PARQUET_NOTES = {
    "compression": "snappy",
    "parquet_version": "V1 (version-1 data pages, plain and dictionary encodings)",
    "timestamps": "UTC instants: Parquet TIMESTAMP(isAdjustedToUTC=true, MICROS) with the legacy converted type "
    "TIMESTAMP_MICROS; DuckDB reads them as TIMESTAMP WITH TIME ZONE, Polars as Datetime(us, UTC)",
    "partitioning": f"hive style by month of listing_date: <table>/{PARTITION_COLUMN}=YYYY-MM/data_0.parquet; "
    f"read with hive partitioning to get {PARTITION_COLUMN} as a column",
}


@dataclass(frozen=True)
class Snapshot:
    """Facts about the warehouse the export was read from."""

    first_listing_date: date | None
    last_listing_date: date | None
    listing_days: int
    published_at: datetime | None  # when the warehouse was published (publish_log, UTC)
    newest_observation: datetime | None  # the newest vote observation (UTC)


def _iso(value: date | datetime | None) -> str | None:
    """ISO 8601; the warehouse's timestamps are naive UTC, so they get their +00:00."""
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return None if value is None else value.isoformat()


def schema_document(tables: list[WrittenTable], snapshot: Snapshot, exported_at: datetime, not_exported: dict[str, str]) -> dict:
    """The content of schema.json."""
    return {
        "format": EXPORT_FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": _iso(exported_at),
        "source": {
            "warehouse_published_at": _iso(snapshot.published_at),
            "newest_vote_observation": _iso(snapshot.newest_observation),
        },
        "listing_dates": {
            "first": _iso(snapshot.first_listing_date),
            "last": _iso(snapshot.last_listing_date),
            "days": snapshot.listing_days,
        },
        "parquet": PARQUET_NOTES,
        "licence": LICENCE,
        "tables": [
            {
                "name": written.table.name,
                "grain": written.table.grain,
                "description": written.table.description,
                "rows": written.rows,
                "files": written.table.glob,
                "partitioned_by": PARTITION_COLUMN if written.table.partitioned else None,
                "partitions": written.partitions if written.table.partitioned else None,
                "columns": [
                    {"name": c.name, "type": c.type, "nullable": c.nullable, "description": c.description}
                    for c in written.columns
                ],
            }
            for written in tables
        ],
        "not_exported": not_exported,
    }


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def readme_text(schema: dict) -> str:
    """The data card (README.md) for a schema.json document."""
    dates = schema["listing_dates"]
    lines = [
        "# Hugging Face Daily Papers: warehouse export",
        "",
        f"Exported {schema['exported_at']} by `papers export` from the warehouse published "
        f"{schema['source']['warehouse_published_at']}. Listing dates **{dates['first']} to {dates['last']}** "
        f"({dates['days']} days with papers); newest upvote observation {schema['source']['newest_vote_observation']}. "
        f"The same facts for programs: `{SCHEMA_FILE}`.",
        "",
        "## Licence and sources",
        "",
        schema["licence"],
        "",
        "## Reading it",
        "",
        "```python",
        "import polars as pl",
        'papers = pl.scan_parquet("papers/*/*.parquet", hive_partitioning=True).collect()',
        'authors = pl.read_parquet("authors/*.parquet")',
        "",
        "import duckdb",
        "duckdb.sql(\"SELECT * FROM read_parquet('papers/*/*.parquet', hive_partitioning = true)\")",
        "",
        "import pandas as pd",
        'votes = pd.read_parquet("votes")  # pyarrow finds the listing_month=... folders',
        "```",
        "",
        "## Files",
        "",
        "| option | value |",
        "|---|---|",
        *[f"| {key} | {_cell(value)} |" for key, value in schema["parquet"].items()],
        "",
        "| table | grain | rows | files |",
        "|---|---|---:|---|",
        *[f"| [`{t['name']}`](#{t['name']}) | {_cell(t['grain'])} | {t['rows']} | `{t['files']}` |" for t in schema["tables"]],
        "",
        "Not exported: " + "; ".join(f"`{name}` ({_cell(why)})" for name, why in schema["not_exported"].items()) + ".",
        "",
        "## Tables",
    ]
    for table in schema["tables"]:
        lines += ["", f"### {table['name']}", "", f"{table['description']} Grain: {table['grain']}. Rows: {table['rows']}."]
        if table["partitions"] is not None:
            months = ", ".join(f"{month}: {rows}" for month, rows in table["partitions"].items()) or "none (no rows)"
            lines += ["", f"Partitioned by `{table['partitioned_by']}`; rows per month: {months}."]
        lines += ["", "| column | type | null | description |", "|---|---|---|---|"]
        lines += [
            f"| `{c['name']}` | {_cell(c['type'])} | {'yes' if c['nullable'] else 'no'} | {_cell(c['description'])} |"
            for c in table["columns"]
        ]
    return "\n".join(lines) + "\n"


def write_card(folder: Path, schema: dict) -> None:
    """Write schema.json and README.md into the export folder."""
    (folder / SCHEMA_FILE).write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n")
    (folder / "README.md").write_text(readme_text(schema))
