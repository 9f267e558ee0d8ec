"""Paper cards like huggingface.co/papers: thumbnail, title, organisation, authors, GitHub stars,
an abstract snippet and upvotes, every name a real `<a href>` to its page. One `st.html` block for
a whole list: a Streamlit element per card would cost a round of layout per paper."""

from __future__ import annotations

from html import escape

import polars as pl
import streamlit as st

from dashboard.links import anchor, url
from dashboard.ui import plural

SNIPPET_CHARS = 240

CSS = """
<style>
.pc-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:16px;}
.pc-card{border:1px solid rgba(128,128,128,.28);border-radius:12px;overflow:hidden;display:flex;
  flex-direction:column;background:rgba(250,250,250,.02);}
.pc-thumb{position:relative;aspect-ratio:2/1;background:linear-gradient(135deg,#eef2ff,#fff7ed);
  display:flex;align-items:center;justify-content:center;color:#6b7280;font-size:.85rem;}
.pc-thumb img{position:absolute;inset:0;width:100%;height:100%;object-fit:cover;}
.pc-rank{position:absolute;top:8px;left:8px;z-index:1;background:rgba(17,24,39,.78);color:#fff;
  border-radius:8px;padding:1px 8px;font-size:.8rem;font-weight:600;}
.pc-body{padding:10px 14px 12px;display:flex;flex-direction:column;gap:6px;flex:1;}
.pc-title{font-weight:650;font-size:1.02rem;line-height:1.3;}
.pc-title a{color:inherit;text-decoration:none;} .pc-title a:hover{text-decoration:underline;}
.pc-meta{font-size:.82rem;color:#6b7280;display:flex;flex-wrap:wrap;gap:2px 0;}
.pc-meta span+span::before{content:'·';margin:0 6px;}
.pc-meta a,.pc-foot a{color:#4f46e5;text-decoration:none;} .pc-meta a:hover,.pc-foot a:hover{text-decoration:underline;}
.pc-abstract{font-size:.86rem;line-height:1.4;color:inherit;opacity:.85;}
.pc-foot{margin-top:auto;display:flex;justify-content:space-between;align-items:center;
  font-size:.82rem;color:#6b7280;gap:8px;}
.pc-votes{font-weight:700;color:#b45309;background:#fff7ed;border:1px solid #fed7aa;border-radius:8px;
  padding:1px 8px;white-space:nowrap;}
.pc-gain{color:#047857;font-weight:600;}
</style>
"""


def snippet(text: str | None, limit: int = SNIPPET_CHARS) -> str:
    """The abstract cut at a word boundary near `limit` characters, with an ellipsis when cut."""
    if not text:
        return ""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",.;:") + "…"


def stars(count: int | None) -> str:
    """GitHub stars as 850, 1.2k or 12k."""
    if count is None:
        return ""
    return f"{count:,}" if count < 1000 else (f"{count / 1000:.1f}k" if count < 10_000 else f"{count // 1000}k")


def card(row: dict, rank: int) -> str:
    """One paper card as HTML (every value escaped)."""
    thumb = f'<img src="{escape(row["thumbnail"])}" alt="" loading="lazy">' if row.get("thumbnail") else ""
    meta = []
    if row.get("organization"):
        meta.append(anchor(url("organization", row["organization"]), row.get("organization_name") or row["organization"]))
    meta.append(f"{row['author_count']} author{'s' if row['author_count'] != 1 else ''}")
    if row.get("github_repo"):
        label = "GitHub ★ " + stars(row["github_stars"]) if row.get("github_stars") is not None else "GitHub"
        meta.append(anchor(row["github_repo"], label))
    meta.append(plural(row.get("num_comments") or 0, "comment"))
    authors = row.get("first_authors") or []
    names = ", ".join(anchor(url("author", a["author_id"]), a["name"]) for a in authors)
    more = row["author_count"] - len(authors)
    if names and more > 0:
        names += f" +{more}"
    submitter = (" · by " + anchor(url("submitter", row["submitted_by"]), row["submitted_by"])) if row.get("submitted_by") else ""
    gain = row.get("upvotes_gained")
    gained = f' <span class="pc-gain">+{gain}</span>' if gain else ""
    return (
        '<div class="pc-card">'
        f'<div class="pc-thumb"><span class="pc-rank">#{rank}</span>{escape(row["paper_id"])}{thumb}</div>'
        '<div class="pc-body">'
        f'<div class="pc-title">{anchor(url("paper", row["paper_id"]), row["title"])}</div>'
        f'<div class="pc-meta">{" ".join(f"<span>{m}</span>" for m in meta)}</div>'
        + (f'<div class="pc-meta"><span>{names}</span></div>' if names else "")
        + f'<div class="pc-abstract">{escape(snippet(row.get("summary")))}</div>'
        f'<div class="pc-foot"><span>{row["listing_date"]:%d %b %Y}{submitter}</span>'
        f'<span class="pc-votes">▲ {row["upvotes"]:,}{gained}</span></div>'
        "</div></div>"
    )


def cards_html(papers: pl.DataFrame) -> str:
    """The whole grid of cards for `papers`, in their order."""
    body = "".join(card(row, rank) for rank, row in enumerate(papers.iter_rows(named=True), start=1))
    # The style goes after the content: DOMPurify (st.html) drops a <style> that opens the string.
    return f'<div class="pc-grid">{body}</div>{CSS}'


def paper_cards(papers: pl.DataFrame) -> None:
    """Draw `papers` as a grid of cards."""
    st.html(cards_html(papers))
