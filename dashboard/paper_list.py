"""Papers as a compact ranked list: rank, title, listing day, upvotes and organisation, each name
a real `<a href>` to its page (one click, same tab, back returns). One `st.html` block: a
dataframe would load Streamlit's table component (~1.2 MB of JavaScript) into a fresh tab for ten
rows, which cost the Overview ~20 % of its time to render in Chromium."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard.links import anchor, url

CSS = """
<style>
.pl-table{width:100%;border-collapse:collapse;font-size:.92rem;}
.pl-table th{text-align:left;font-weight:600;color:#6b7280;font-size:.8rem;padding:4px 8px;
  border-bottom:1px solid rgba(128,128,128,.28);}
.pl-table td{padding:6px 8px;border-bottom:1px solid rgba(128,128,128,.14);vertical-align:middle;}
.pl-table a{color:inherit;text-decoration:none;} .pl-table a:hover{text-decoration:underline;}
.pl-table td.pl-org a{color:#4f46e5;}
.pl-rank{color:#6b7280;width:2.5em;} .pl-day{white-space:nowrap;width:7.5em;}
.pl-votes{width:11em;white-space:nowrap;}
@media (max-width:640px){.pl-table .pl-day,.pl-table .pl-org{display:none;}}
.pl-bar{display:inline-block;height:.55em;border-radius:4px;background:#FF9D00;margin-right:6px;vertical-align:middle;}
</style>
"""


def row_html(row: dict, rank: int, most_upvotes: int) -> str:
    """One paper as a table row (every value escaped by `anchor` or here)."""
    organization = anchor(url("organization", row["organization"]), row["organization"]) if row.get("organization") else ""
    width = round(100 * row["upvotes"] / most_upvotes) if most_upvotes else 0
    return (
        f'<tr><td class="pl-rank">{rank}</td>'
        f'<td class="pl-title">{anchor(url("paper", row["paper_id"]), row["title"])}</td>'
        f'<td class="pl-day">{row["listing_date"]:%Y-%m-%d}</td>'
        f'<td class="pl-votes"><span class="pl-bar" style="width:{width * 0.6:.0f}px"></span>{row["upvotes"]:,}</td>'
        f'<td class="pl-org">{organization}</td></tr>'
    )


def paper_list_html(papers: pl.DataFrame) -> str:
    """The list of `papers` in their order, as one HTML table."""
    most = max((row["upvotes"] for row in papers.iter_rows(named=True)), default=0)
    rows = "".join(row_html(row, rank, most) for rank, row in enumerate(papers.iter_rows(named=True), start=1))
    head = (
        '<tr><th class="pl-rank">#</th><th>Title</th><th class="pl-day">Listed</th>'
        '<th class="pl-votes">Upvotes</th><th class="pl-org">Organisation</th></tr>'
    )
    # The style goes after the content: DOMPurify (st.html) drops a <style> that opens the string.
    return f'<table class="pl-table"><thead>{head}</thead><tbody>{rows}</tbody></table>{CSS}'


def paper_list(papers: pl.DataFrame) -> None:
    """Draw `papers` as a compact ranked list."""
    st.html(paper_list_html(papers))
