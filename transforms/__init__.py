"""Pure Polars transforms: raw HF Daily Papers API pages -> warehouse tables. No I/O, no clock."""

from transforms.daily_tables import ListingTables, build_listing_tables, naive_utc, vote_observations
from transforms.json_records import ListingPageError
from transforms.person_names import (
    author_id_expr,
    author_id_for,
    author_identity_key_expr,
    normalise_person_name,
    normalise_person_name_expr,
)

__all__ = [
    "ListingPageError",
    "ListingTables",
    "author_id_expr",
    "author_id_for",
    "author_identity_key_expr",
    "build_listing_tables",
    "naive_utc",
    "normalise_person_name",
    "normalise_person_name_expr",
    "vote_observations",
]
