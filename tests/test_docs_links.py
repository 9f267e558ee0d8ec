"""Every relative link in README.md and docs/ leads somewhere: the file exists, and a `#anchor` names a
heading of that file (GitHub's anchor rules). Web links are not followed (tests stay off the network).
Every repository path the pages name (`warehouse/derived.py`, `python -m bench.console_attacks`) exists too,
so a file moved without its docs fails here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
# Written on other branches of the same change (the settings table, the Dagster issue draft); until
# those are merged the links to them skip, saying so, instead of failing.
WRITTEN_ELSEWHERE = {
    "docs/configuration.md": "docs/configuration.md (the table of every setting) is written in another branch of issue 18",
    "docs/upstream/dagster-event-log.md": "docs/upstream/dagster-event-log.md is written in another branch of issue 18",
}
# Named by the pages but made by running the product, so absent from a fresh clone.
GENERATED = {"bench/results/latest.json"}
# Top-level folders a named path may start with: today's, and those of this layout (so a folder that moves away
# still has its old paths checked, and fails).
NOT_SOURCE = {".git", ".venv", ".tools", "data", "test-artifacts", "__pycache__", ".pytest_cache"}
TOP_DIRS = (
    "(?:"
    + "|".join(
        sorted(
            map(
                re.escape,
                {
                    ".ci",
                    ".streamlit",
                    "bench",
                    "dashboard",
                    "deploy",
                    "docs",
                    "orchestration",
                    "papers_cli",
                    "tests",
                    "transforms",
                    "warehouse",
                    *(
                        p.name
                        for p in REPO_ROOT.iterdir()
                        if p.is_dir() and p.name not in NOT_SOURCE and not p.name.endswith(".egg-info")
                    ),
                },
            )
        )
    )
    + ")"
)
REPO_PATH = re.compile(r"(?<![\w/.$-])(" + TOP_DIRS + r"/[\w./*-]*[\w*/])(?!<)")
MODULE = re.compile(r"(?:^|\s)-m (" + TOP_DIRS + r"(?:\.\w+)+)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^()\s]+)\)")
FENCE = re.compile(r"^```.*?^```", flags=re.MULTILINE | re.DOTALL)


def markdown_files() -> list[Path]:
    return [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").rglob("*.md"))]


def prose(text: str) -> str:
    """The text outside fenced code blocks, where a `[x](y)` is a link."""
    return FENCE.sub("", text)


def anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, markup and punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower().replace("`", "")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading anchor of a file (a repeated heading gets -1, -2, … as on GitHub)."""
    found: set[str] = set()
    for heading in re.findall(r"^#{1,6} (.+)$", prose(path.read_text()), flags=re.MULTILINE):
        base, n = anchor(heading), 0
        name = base
        while name in found:
            n += 1
            name = f"{base}-{n}"
        found.add(name)
    return found


def links(path: Path) -> list[str]:
    """The relative link targets of a markdown file (web and mail links left out)."""
    return [t for t in LINK.findall(prose(path.read_text())) if not re.match(r"[a-z][a-z0-9+.-]*:", t)]


def shown(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT)) if path.is_relative_to(REPO_ROOT) else str(path)


def broken(source: Path, target: str) -> str | None:
    """Why `target`, linked from `source`, leads nowhere; None when it resolves."""
    file_part, _, fragment = target.partition("#")
    destination = (source.parent / file_part).resolve() if file_part else source
    if not destination.exists():
        return f"{shown(source)}: link to {target}: no file {shown(destination)}"
    if fragment and destination.suffix == ".md" and fragment not in anchors(destination):
        return (
            f"{shown(source)}: link to {target}: no heading with anchor #{fragment} in "
            f"{destination.name} (has: {', '.join(sorted(anchors(destination)))})"
        )
    return None


def every_link() -> list[tuple[Path, str]]:
    return [(path, target) for path in markdown_files() for target in links(path)]


@pytest.mark.parametrize(("source", "target"), every_link(), ids=[f"{shown(p)}->{t}" for p, t in every_link()])
def test_link_resolves(source: Path, target: str):
    destination = (source.parent / target.partition("#")[0]).resolve()
    written_elsewhere = WRITTEN_ELSEWHERE.get(shown(destination))
    if written_elsewhere and not destination.exists():
        pytest.skip(f"{written_elsewhere}; this link resolves once it is merged")
    assert broken(source, target) is None, broken(source, target)


def repository_paths(path: Path) -> list[str]:
    """Repository paths a page names (`dir/file`, `dir/*.sql`, `-m package.module`), placeholders left out."""
    text = path.read_text()
    named = {p for p in REPO_PATH.findall(text)}
    named |= {m.replace(".", "/") + ".py" for m in MODULE.findall(text)}
    return sorted(p for p in named if p not in GENERATED)


def exists(relative: str) -> bool:
    if "*" in relative:
        return any(REPO_ROOT.glob(relative))
    return (REPO_ROOT / relative).exists() or (REPO_ROOT / relative.removesuffix(".py") / "__init__.py").exists()


every_path = [(page, named) for page in markdown_files() for named in repository_paths(page)]


@pytest.mark.parametrize(("page", "named"), every_path, ids=[f"{shown(p)}:{n}" for p, n in every_path])
def test_every_repository_path_named_exists(page: Path, named: str):
    if named in WRITTEN_ELSEWHERE and not exists(named):
        pytest.skip(f"{WRITTEN_ELSEWHERE[named]}; this name resolves once it is merged")
    assert exists(named), f"{shown(page)} names {named}, which is not in the repository"


def test_the_readme_links_every_page_of_docs():
    linked = {(REPO_ROOT / t.partition("#")[0]).resolve() for t in links(REPO_ROOT / "README.md")}
    unlinked = [p.relative_to(REPO_ROOT) for p in sorted((REPO_ROOT / "docs").glob("*.md")) if p not in linked]
    assert not unlinked, f"README.md does not link {unlinked}: a page nobody can find"


def test_a_missing_file_and_a_missing_heading_are_reported(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "# Title\n\n## Where `x` is read, and why\n\n"
        "[ok](#where-x-is-read-and-why) [self](page.md#title) [web](https://example.com/a.md)\n"
        "[gone](other.md) [no heading](#nowhere)\n```\n[in code](not-a-link.md)\n```\n"
    )
    assert links(page) == ["#where-x-is-read-and-why", "page.md#title", "other.md", "#nowhere"]
    assert broken(page, "#where-x-is-read-and-why") is None and broken(page, "page.md#title") is None
    assert "no file" in broken(page, "other.md")
    assert "no heading with anchor #nowhere" in broken(page, "#nowhere")


def test_repository_paths_are_found_in_prose_and_commands(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "Read `warehouse/db.py` and warehouse/views/*.sql; run `python -m bench.run` or\n"
        "```\ndagster code-server start -m orchestration.definitions\n```\n"
        "not `$PAPERS_HOME/raw/daily_papers/<date>/` nor `listings/rejected/` nor bench/results/latest.json"
    )
    assert repository_paths(page) == ["bench/run.py", "orchestration/definitions.py", "warehouse/db.py", "warehouse/views/*.sql"]
    assert all(exists(p) for p in repository_paths(page)) and not exists("warehouse/nowhere.py")
