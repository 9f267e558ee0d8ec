"""Pieces every page shares: the no-warehouse message, URL-backed filters, links, downloads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TypeVar

import polars as pl
import streamlit as st

from dashboard.nav import page_file
from dashboard.repository import WarehouseRepository
from dashboard.snapshot import HOW_TO_CREATE
from warehouse.paths import DuckLakeLocation

_DateDefault = TypeVar("_DateDefault", date, None)


def ready(repo: WarehouseRepository) -> bool:
    """Show how to create a warehouse and return False when none is published yet."""
    if repo.exists():
        return True
    st.info(HOW_TO_CREATE, icon=":material/database:")
    st.code("papers up\npapers backfill --start 2025-01-01 --end 2025-01-31", language="bash")
    where = repo.path.describe() if isinstance(repo.path, DuckLakeLocation) else repo.path
    st.caption(f"Looked for `{where}` (set `PAPERS_HOME` to use another folder).")
    return False


def needs(repo: WarehouseRepository, names: list[str], what: str) -> bool:
    """Warn and return False when the warehouse lacks the views `what` is built on."""
    missing = repo.missing_objects(names)
    if missing:
        st.warning(
            f"{what} needs the warehouse view(s) {', '.join(f'`{m}`' for m in missing)}, which this "
            "published warehouse does not have yet. Run `papers up` (or any backfill) to republish "
            "it with the current views.",
            icon=":material/construction:",
        )
    return not missing


def sidebar_freshness(repo: WarehouseRepository) -> None:
    """'Data as of' in the sidebar: newest listing day and the last publish."""
    with st.sidebar:
        if not repo.exists():
            st.caption("No published warehouse yet.")
            return
        fresh = repo.data_as_of()
        st.caption(
            f"**Data as of** {fmt_date(fresh['newest_listing_date'])} · {fresh['papers']:,} papers  \n"
            f"Published {fmt_time(fresh['last_publish'])}"
        )


# -- formatting ---------------------------------------------------------------------------
def fmt_date(value: date | None) -> str:
    """A date as 'Tue 14 Jan 2025', or an em dash."""
    return value.strftime("%a %d %b %Y") if value else "—"


def fmt_time(value: datetime | None) -> str:
    """A UTC timestamp as '2025-01-14 12:00 UTC', or 'never'."""
    return f"{value:%Y-%m-%d %H:%M} UTC" if value else "never"


def fmt_short(value: datetime | None) -> str:
    """A timestamp as '14 Jan 12:00', short enough for a metric tile, or 'never'."""
    return f"{value:%d %b %H:%M}" if value else "never"


# -- URL-backed state ---------------------------------------------------------------------
def param(key: str, default: str = "") -> str:
    """A query-string value (the last one if repeated)."""
    return st.query_params.get(key, default)


def param_list(key: str) -> list[str]:
    """A comma-separated query-string value as a list."""
    raw = st.query_params.get(key, "")
    return [item for item in raw.split(",") if item]


def param_date(key: str, default: _DateDefault) -> date | _DateDefault:
    """A YYYY-MM-DD query-string value, or `default` when absent or malformed."""
    try:
        return date.fromisoformat(st.query_params[key])
    except (KeyError, ValueError):
        return default


def param_int(key: str, default: int) -> int:
    """An integer query-string value, or `default`."""
    try:
        return int(st.query_params[key])
    except (KeyError, ValueError):
        return default


def seed_state(key: str, value) -> None:
    """Give widget `key` its first value (from the URL) unless the user has already set it."""
    if key not in st.session_state:
        st.session_state[key] = value


def publish_params(values: dict, defaults: dict | None = None) -> None:
    """Write filter values to the URL so the view can be shared; defaults are left out."""
    defaults = defaults or {}
    for key, value in values.items():
        text = ",".join(value) if isinstance(value, (list, tuple)) else ("" if value is None else str(value))
        if text == "" or value == defaults.get(key):
            st.query_params.pop(key, None)
        elif st.query_params.get(key) != text:
            st.query_params[key] = text


DEFAULT_DAYS = 30  # the range a dated page opens with: the newest 30 listing days


def date_range(repo: WarehouseRepository, key: str, default_days: int = DEFAULT_DAYS) -> tuple[date, date]:
    """A from/to date picker backed by `?from=&to=`, defaulting to the newest `default_days` days."""
    lo, hi = repo.date_bounds()
    lo, hi = lo or date.today(), hi or date.today()
    start = param_date("from", max(lo, hi - timedelta(days=default_days - 1)))
    end = param_date("to", hi)
    # A shared URL may come from a warehouse with other days: keep its range inside this one.
    start, end = min(max(start, lo), hi), min(max(end, lo), hi)
    seed_state(key, (min(start, end), end))
    picked = st.date_input("Listing dates", key=key, min_value=lo, max_value=hi, format="YYYY-MM-DD")
    start, end = (picked[0], picked[-1]) if isinstance(picked, (list, tuple)) and picked else (start, end)
    publish_params({"from": start.isoformat(), "to": end.isoformat()})
    return start, end


# -- links and downloads ------------------------------------------------------------------
def paper_link(paper_id: str, label: str) -> None:
    """A link to the paper's detail page."""
    st.page_link(page_file("paper"), label=label, query_params={"id": paper_id}, icon=":material/description:")


def csv_download(frame: pl.DataFrame, file_name: str, key: str) -> None:
    """A button that downloads exactly `frame` as CSV (list columns joined with '; ')."""
    st.download_button(
        f"Download CSV ({frame.height:,} rows)",
        _csv_text(frame),
        file_name=file_name,
        mime="text/csv",
        icon=":material/download:",
        key=key,
    )


def csv_download_later(make_frame: Callable[[], pl.DataFrame], rows: int, file_name: str, key: str) -> None:
    """`csv_download` of the frame `make_frame()` returns, called only when the button is clicked
    (every paper of a prolific entity is too many rows to read on each view of its page)."""
    st.download_button(
        f"Download CSV ({rows:,} rows)",
        lambda: _csv_text(make_frame()),
        file_name=file_name,
        mime="text/csv",
        icon=":material/download:",
        key=key,
    )


def _csv_text(frame: pl.DataFrame) -> str:
    """`frame` as CSV text, list columns joined with '; '."""
    return frame.with_columns(pl.col(c).list.join("; ") for c, t in frame.schema.items() if t == pl.List(pl.String)).write_csv()


def hf_url(paper_id: str) -> str:
    """The paper's Hugging Face page."""
    return f"https://huggingface.co/papers/{paper_id}"


def arxiv_url(paper_id: str) -> str:
    """The paper's arXiv abstract page."""
    return f"https://arxiv.org/abs/{paper_id}"


def table(frame: pl.DataFrame, key: str | None = None, column_config: dict | None = None, **kwargs):
    """`st.dataframe` with dates shown as dates, timestamps to the minute, and a height that fits."""
    config: dict = {}
    for name, dtype in frame.schema.items():
        if dtype == pl.Date:
            config[name] = st.column_config.DateColumn(name, format="YYYY-MM-DD")
        elif isinstance(dtype, pl.Datetime):
            config[name] = st.column_config.DatetimeColumn(name, format="YYYY-MM-DD HH:mm")
    config.update(column_config or {})
    kwargs.setdefault("height", min(38 + 35 * max(frame.height, 1), kwargs.pop("max_height", 560)))
    return st.dataframe(frame, key=key, hide_index=True, width="stretch", column_config=config, **kwargs)


def plural(count: int, word: str) -> str:
    """'1 comment', '2 comments': the count with its noun in the right number."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"
