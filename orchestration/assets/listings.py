"""Asset and sensor: saved Daily Papers listing pages dropped into `$PAPERS_HOME/listings/`."""

from datetime import date
from pathlib import Path

import dagster as dg

from orchestration.partitions import DUCKDB_WRITER_POOL
from orchestration.publishing import publish_working_warehouse
from orchestration.resources import WarehouseResource
from warehouse.db import connect_writer
from warehouse.listings import content_sha256, import_listing_file

LISTING_SUFFIXES = {".txt", ".md"}


class ListingImportConfig(dg.Config):
    """`as_of` (YYYY-MM-DD) resolves year-less dates of newly imported pages; default today."""

    as_of: str | None = None


def listing_files(folder: Path) -> list[Path]:
    """The listing pages waiting in a folder, in name order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in LISTING_SUFFIXES)


@dg.asset(pool=DUCKDB_WRITER_POOL, group_name="listings", kinds={"duckdb", "polars"})
def listed_papers(
    context: dg.AssetExecutionContext, config: ListingImportConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Entries of saved listing pages (grain: page content x position), linked to `papers`.

    Source: text files copied from huggingface.co/papers into `$PAPERS_HOME/listings/`. Each page
    is imported once per content (re-imports change nothing), in one transaction; a file that is
    not a listing fails with its line number and imports nothing. Publishes the warehouse after.
    """
    files = listing_files(warehouse.home / "listings")
    as_of = date.fromisoformat(config.as_of) if config.as_of else None
    imported = {}
    con = connect_writer(warehouse.working_path)
    try:
        for path in files:
            result = import_listing_file(con, path, as_of=as_of)
            imported[path.name] = {"rows": result.rows, "linked": result.linked,
                                   "already_imported": result.already_imported}
            context.log.info(f"{path.name}: {result.rows} entries, {result.linked} linked")
    finally:
        con.close()
    published = publish_working_warehouse(warehouse, context.run.run_id)
    return dg.MaterializeResult(metadata={
        "files": dg.MetadataValue.json(imported),
        "new_files": sum(not v["already_imported"] for v in imported.values()),
        "published": dg.MetadataValue.path(str(published.path)),
    })


import_listings_job = dg.define_asset_job(
    "import_listings_job", selection=[listed_papers],
    description="Import every saved listing page in $PAPERS_HOME/listings/ and publish.",
)


@dg.sensor(job=import_listings_job, minimum_interval_seconds=30,
           default_status=dg.DefaultSensorStatus.RUNNING)
def new_listing_files(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    """Starts an import when a listing page with new content appears in `$PAPERS_HOME/listings/`."""
    digests = sorted(content_sha256(p.read_text(encoding="utf-8", errors="replace"))
                     for p in listing_files(warehouse.home / "listings"))
    if not digests:
        return dg.SkipReason("no listing pages in $PAPERS_HOME/listings/")
    # The run key is the set of page contents: the same files never start a second import.
    return dg.RunRequest(run_key=content_sha256("\n".join(digests)))
