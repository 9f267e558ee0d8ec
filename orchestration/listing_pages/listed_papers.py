"""Asset and sensor: saved Daily Papers listing pages dropped into `$PAPERS_HOME/listings/`."""

from datetime import date
from functools import partial
from pathlib import Path

import dagster as dg

from landing.listing_folder import listing_files, set_aside
from orchestration.partitions import DUCKDB_WRITER_POOL
from orchestration.resources import WarehouseResource
from transforms.listing import ListingFormatError
from warehouse.backend import open_writer, publish, write_retrying
from warehouse.listings import content_sha256, import_listing_file

EVERY_PAGE_IMPORTED = "every_page_imported"


class ListingImportConfig(dg.Config):
    """`as_of` (YYYY-MM-DD) resolves year-less dates of newly imported pages; default today."""

    as_of: str | None = None


@dg.asset(
    pool=DUCKDB_WRITER_POOL,
    group_name="listings",
    kinds={"duckdb", "polars"},
    check_specs=[
        dg.AssetCheckSpec(
            EVERY_PAGE_IMPORTED,
            asset="listed_papers",
            description="Every file in $PAPERS_HOME/listings/ was a listing page; the ones that were "
            "not are named here and were moved to listings/rejected/.",
        )
    ],
)
def listed_papers(
    context: dg.AssetExecutionContext, config: ListingImportConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    """Entries of saved listing pages (grain: page content x position), linked to `papers`.

    Source: text files copied from huggingface.co/papers into `$PAPERS_HOME/listings/`. Each page
    is imported once per content (re-imports change nothing), in one transaction. A file that is
    not a listing imports nothing and fails alone: it is moved to `listings/rejected/` with the
    reason, named in the check `every_page_imported`, and the other pages still import. Publishes
    the warehouse after.
    """
    files = listing_files(warehouse.home / "listings")
    as_of = date.fromisoformat(config.as_of) if config.as_of else None
    imported, rejected = {}, {}
    con = open_writer(warehouse.paths)
    try:
        for path in files:
            try:
                result = write_retrying(warehouse.paths, partial(import_listing_file, con, path, as_of=as_of))
            except (ListingFormatError, OSError) as error:
                rejected[path.name] = _reject(context, path, error)
                continue
            imported[path.name] = {"rows": result.rows, "linked": result.linked, "already_imported": result.already_imported}
            context.log.info(f"{path.name}: {result.rows} entries, {result.linked} linked")
    finally:
        con.close()
    published = publish(warehouse.paths, context.run.run_id)
    return dg.MaterializeResult(
        metadata={
            "files": dg.MetadataValue.json(imported),
            "rejected": dg.MetadataValue.json(rejected),
            "new_files": sum(not v["already_imported"] for v in imported.values()),
            "published": dg.MetadataValue.path(str(published.path)),
            "publish": published.how,
        },
        check_results=[
            dg.AssetCheckResult(
                check_name=EVERY_PAGE_IMPORTED,
                passed=not rejected,
                severity=dg.AssetCheckSeverity.WARN,
                metadata={"rejected": dg.MetadataValue.json(rejected)},
            )
        ],
    )


def _reject(context: dg.AssetExecutionContext, path: Path, error: Exception) -> dict:
    """Set a page that cannot be imported aside (once), and say so by its path."""
    reason = str(error)
    try:
        moved_to = str(set_aside(path, reason))
    except OSError as move_error:
        moved_to = None
        context.log.error(f"{path}: could not move it to rejected/ ({move_error}); it stays in place")
    context.log.error(f"{path} not imported: {reason}" + (f"; moved to {moved_to}" if moved_to else ""))
    return {"path": str(path), "reason": reason, "moved_to": moved_to}


import_listings_job = dg.define_asset_job(
    "import_listings_job",
    selection=[listed_papers],
    description="Import every saved listing page in $PAPERS_HOME/listings/ and publish.",
)


@dg.sensor(job=import_listings_job, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING)
def new_listing_files(context: dg.SensorEvaluationContext, warehouse: WarehouseResource):
    """Starts an import when a listing page with new content appears in `$PAPERS_HOME/listings/`."""
    digests = sorted(_page_key(p) for p in listing_files(warehouse.home / "listings"))
    if not digests:
        return dg.SkipReason("no listing pages in $PAPERS_HOME/listings/")
    # The run key is the set of page contents: the same files never start a second import.
    return dg.RunRequest(run_key=content_sha256("\n".join(digests)))


def _page_key(path: Path) -> str:
    try:
        return content_sha256(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        # Still ask for a run: the asset sets the unreadable file aside and names it.
        return f"unreadable {path.name}"
