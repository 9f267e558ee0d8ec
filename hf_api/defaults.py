"""The HF client's defaults, in one place: the client, the Settings and the Dagster resource use
these names rather than repeating the numbers."""

from __future__ import annotations

DEFAULT_BASE_URL = "https://huggingface.co"
# HF_API_BASE_URL=sample: the bundled recorded days, replayed in-process (no network).
SAMPLE = "sample"
DEFAULT_REQUESTS_PER_SECOND = 2.0
DEFAULT_MAX_ATTEMPTS = 6
DEFAULT_BACKOFF_MAX_S = 60.0
# The first listing date the daily_papers API serves: the first daily partition, and the first day
# a weekly digest can be asked for.
FIRST_LISTING_DATE = "2023-05-04"
