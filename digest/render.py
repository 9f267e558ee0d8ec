"""The digest as Markdown and as one self-contained HTML page, from Jinja2 templates (templates/).

The HTML carries its CSS inline and no scripts, so it can be mailed or opened from disk; its chart
of papers per day is an inline SVG whose bar geometry is computed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import jinja2

from digest.shape import Digest, count_of

# Characters Markdown reads as markup in running text and table cells.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")

CHART_WIDTH, CHART_HEIGHT, CHART_LABELS = 336, 120, 32  # SVG units: 7 bars of 48


@dataclass(frozen=True)
class Bar:
    """One day's bar of the chart (SVG coordinates)."""

    day: date
    papers: int
    x: float
    y: float
    width: float
    height: float


def markdown_text(value: object) -> str:
    """`value` as literal Markdown text (markup characters escaped, line breaks folded)."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def chart_bars(papers_per_day: list[tuple[date, int]]) -> list[Bar]:
    """Bars scaled so the busiest day fills the chart's height (all flat when no day had papers)."""
    most = max((count for _, count in papers_per_day), default=0) or 1
    slot = CHART_WIDTH / max(len(papers_per_day), 1)
    plot = CHART_HEIGHT - CHART_LABELS
    bars = []
    for n, (day, count) in enumerate(papers_per_day):
        height = plot * count / most
        bars.append(Bar(day=day, papers=count, x=n * slot + slot * 0.15, y=plot - height + 14, width=slot * 0.7, height=height))
    return bars


def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("digest", "templates"),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,  # a misspelt field fails the render instead of printing nothing
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_text
    env.filters["thousands"] = lambda n: f"{n:,}"
    env.filters["count_of"] = count_of
    return env


MARKDOWN = _environment(autoescape=False)
HTML = _environment(autoescape=True)


def render_markdown(digest: Digest, feed_name: str = "feed.xml") -> str:
    """The digest as a Markdown document."""
    return MARKDOWN.get_template("digest.md.j2").render(d=digest, feed_name=feed_name)


def render_html(digest: Digest, feed_name: str = "feed.xml") -> str:
    """The digest as one HTML page (inline CSS and SVG, no scripts)."""
    return HTML.get_template("digest.html.j2").render(
        d=digest,
        feed_name=feed_name,
        bars=chart_bars(digest.papers_per_day),
        chart={"width": CHART_WIDTH, "height": CHART_HEIGHT},
    )
