"""Pure Polars transforms: raw HF Daily Papers API pages -> warehouse tables. No I/O, no clock."""

from transforms.daily_tables import (
    ListingTables,
    build_listing_tables,
    build_listing_tables_for_days,
    vote_observations,
    vote_observations_for_fetches,
)
from transforms.fetch_batches import ListingFetch, naive_utc
from transforms.json_records import ListingPageError
from transforms.person_names import (
    author_id_expr,
    author_id_for,
    author_identity_key_expr,
    normalise_person_name,
    normalise_person_name_expr,
)

__all__ = [
    "ListingFetch",
    "ListingPageError",
    "ListingTables",
    "author_id_expr",
    "author_id_for",
    "author_identity_key_expr",
    "build_listing_tables",
    "build_listing_tables_for_days",
    "naive_utc",
    "normalise_person_name",
    "normalise_person_name_expr",
    "vote_observations",
    "vote_observations_for_fetches",
]
