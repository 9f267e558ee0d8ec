"""Entity pages and the links to them (AppTest through the real st.navigation entry point), on the
seeded warehouse plus one old paper (tests/dashboard/entity_seed.py): figures are worked out by
hand from those rows."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from dashboard.links import labelled_url, parse_url, url
from dashboard.nav import PAGES
from tests.dashboard.apptest_helpers import markdown, metrics, open_page
from tests.dashboard.entity_seed import OLD_PAPER, OLD_TITLE, add_old_paper
from tests.dashboard.seed import publish_copy


@pytest.fixture(scope="module")
def old_paper_file(seeded_file, tmp_path_factory):
    """The seeded warehouse with the 2024-06-03 paper of Dana Álvarez and Ann Li, built once."""
    path = tmp_path_factory.mktemp("old_paper") / "warehouse.duckdb"
    shutil.copyfile(seeded_file, path)
    return add_old_paper(path)


@pytest.fixture(autouse=True)
def warehouse_path(papers_home, old_paper_file):
    """Every test here: its own published copy of the seeded warehouse with the old paper."""
    return publish_copy(old_paper_file)


def links(at) -> dict[str, str]:
    """In-app links shown: label -> '<url path>?<query>'."""
    paths = {name: spec[3] for name, spec in PAGES.items()}
    return {p.value: f"/{paths[p.proto.page]}?{p.proto.query_string}" for p in at.page_link}


def headers(frame_element) -> dict[str, str]:
    """Column name -> header shown (the name itself when no label is configured)."""
    config = json.loads(frame_element.proto.columns or "{}")
    shown = frame_element.value.columns
    return {c: config.get(c, {}).get("label") or c for c in shown}


def assert_readable(frame_element) -> None:
    """No raw column names as headers and no empty text cell shown as 'None'."""
    shown = headers(frame_element)
    assert not {"author_id", "hf_username", "first_listing_date", "last_listing_date"} & set(shown.values()), shown
    frame = frame_element.value
    text = [c for c in frame.columns if pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c])]
    assert text and not frame[text].isna().any().any(), frame[text]


def test_urls_follow_the_contract():
    assert url("paper", "2501.00001") == "/paper?id=2501.00001"
    assert url("author", "a-ann") == "/author?id=a-ann"
    assert url("organization", "deepseek-ai") == "/organization?id=deepseek-ai"
    assert url("submitter", "akhaliq") == "/submitter?id=akhaliq"
    assert labelled_url("paper", "2501.00001", "A & B") == "/paper?id=2501.00001#A%20%26%20B"
    # what a table cell holds leads back to (page, id); other links (GitHub, HF profiles) do not
    assert parse_url(labelled_url("author", "a&b #1", "Name #2")) == ("author", "a&b #1")
    assert parse_url("https://github.com/ds/r1") is None and parse_url("") is None
    assert parse_url("/papers?id=x") is None


def test_paper_detail_links_every_person_to_its_page():
    at = open_page("paper", id=OLD_PAPER)
    shown = links(at)
    assert shown["1. Dana Álvarez"] == "/author?id=a-dana"
    assert shown["2. Ann Li"] == "/author?id=a-ann"
    assert shown["old-lab"] == "/organization?id=old-lab"
    assert shown["bob"] == "/submitter?id=bob"
    # similar papers link by id: the most similar to the old paper is 2501.00001 (same words)
    assert shown["Reasoning with Reinforcement (50 ↑)"] == "/paper?id=2501.00001"


def test_paper_detail_follows_a_new_id_in_the_url():
    # As when a similar paper's link is followed in the same session: the URL alone decides.
    at = open_page("paper", id="2501.00001")
    assert at.title[0].value == "Reasoning with Reinforcement"
    at.query_params["id"] = OLD_PAPER
    at.run()
    assert at.title[0].value == OLD_TITLE
    assert at.query_params["id"] == [OLD_PAPER] or at.query_params["id"] == OLD_PAPER


def test_paper_detail_without_id_offers_a_picker_that_sets_the_url():
    at = open_page("paper")
    assert at.title[0].value == "Paper"
    at.selectbox(key="paper_pick").set_value("2412.00005").run()
    at.run()  # the pick wrote ?id=; the next run reads it
    assert at.title[0].value == "Policy Gradients Revisited"


def test_author_page_shows_every_paper_of_all_time(repo):
    at = open_page("author", id="a-dana")
    assert at.title[0].value == "Dana Álvarez"
    assert "[danaal](https://huggingface.co/danaal)" in "\n".join(c.value for c in at.caption)
    shown = metrics(at)
    assert shown["Papers"][0] == "1" and shown["Total upvotes"][0] == "7"
    assert shown["First listed"][0] == "Jun 2024"
    papers, people, orgs = at.dataframe[0], at.dataframe[1], at.dataframe[2]
    assert papers.value["paper"].tolist() == [labelled_url("paper", OLD_PAPER, OLD_TITLE)]
    assert people.value["author"].tolist() == [labelled_url("author", "a-ann", "Ann Li")]
    assert orgs.value["link"].tolist() == [labelled_url("organization", "old-lab", "old-lab")]
    for frame in (papers, people, orgs):
        assert_readable(frame)
    assert headers(papers)["paper"] == "Title" and headers(people)["author"] == "Name"


def test_author_figures_co_authors_and_months(repo):
    at = open_page("author", id="a-ann")
    shown = metrics(at)
    # Ann: 2501.00001 (50), 2501.00003 (30), 2412.00005 (20), 2406.00006 (7)
    assert shown["Papers"][0] == "4" and shown["Total upvotes"][0] == "107"
    assert shown["Median upvotes"][0] == "25.0"
    assert at.dataframe[0].value["upvotes"].tolist() == [50, 30, 20, 7]
    # co-authors: Ben (00001), Cat (00003), Dana (old paper), one shared paper each
    co = repo.entity_people_page("authors", "a-ann", 50)
    assert sorted(co["name"].to_list()) == ["Ben Lee", "Cat Kim", "Dana Álvarez"]
    assert co["papers"].to_list() == [1, 1, 1] and co["people"].to_list() == [3, 3, 3]
    assert any(s.value == "Co-authors (3)" for s in at.subheader)
    # Jun 2024 .. Jan 2025 is 8 months, the empty ones included
    from dashboard.entity_frames import fill_months

    monthly = fill_months(repo.entity_months("authors", "a-ann"))
    assert monthly.height == 8 and monthly["papers"].to_list() == [1, 0, 0, 0, 0, 0, 1, 2]


def test_unknown_author_says_so():
    at = open_page("author", id="nobody")
    assert any("No author with id `nobody`" in w.value for w in at.warning)


def test_organisation_page(repo):
    at = open_page("organization", id="deepseek-ai")
    assert at.title[0].value == "DeepSeek"
    assert metrics(at)["Papers"][0] == "2" and metrics(at)["Total upvotes"][0] == "55"
    people = at.dataframe[1].value
    # Ben is on both deepseek-ai papers, Ann on one
    assert people["author"].tolist() == [labelled_url("author", "a-ben", "Ben Lee"), labelled_url("author", "a-ann", "Ann Li")]
    assert at.dataframe[2].value["link"].tolist() == [
        labelled_url("submitter", "akhaliq", "akhaliq"),
        labelled_url("submitter", "bob", "bob"),
    ]
    for frame in at.dataframe:
        assert_readable(frame)


def test_an_organisation_seen_only_on_papers_has_a_page():
    at = open_page("organization", id="old-lab")
    assert at.title[0].value == "old-lab"
    assert metrics(at)["Papers"][0] == "1"


def test_submitter_page():
    at = open_page("submitter", id="bob")
    assert at.title[0].value == "Bob"
    # bob submitted 2501.00004 (5, deepseek-ai) and the old paper (7, old-lab): one paper each,
    # the more upvoted first
    assert at.dataframe[0].value["upvotes"].tolist() == [7, 5]
    orgs = at.dataframe[2].value["link"].tolist()
    assert orgs == [
        labelled_url("organization", "old-lab", "old-lab"),
        labelled_url("organization", "deepseek-ai", "deepseek-ai"),
    ]


def test_any_author_is_found_by_name_accents_and_case_ignored(repo):
    at = open_page("author", find="alvarez")
    assert links(at)["Dana Álvarez (@danaal) · 1 paper · last listed Jun 2024"] == "/author?id=a-dana"
    at = open_page("authors")
    at.text_input(key="authors_find").set_value("LEE ben").run()
    assert links(at)["Ben Lee · 2 papers · last listed Jan 2025"] == "/author?id=a-ben"
    assert at.query_params["find"] in ("LEE ben", ["LEE ben"])
    assert repo.find_authors("zzz").height == 0 and repo.find_authors("  ").height == 0


@pytest.mark.parametrize(
    ("kind", "key", "label"),
    [
        ("authors", "a-ann", "Ann Li"),
        ("organizations", "deepseek-ai", "DeepSeek"),
        ("submitters", "akhaliq", "AK (akhaliq)"),
    ],
)
def test_leaderboard_names_link_to_entity_pages(kind, key, label):
    at = open_page(kind, **{"from": "2025-01-01", "to": "2025-01-14"})
    board = at.dataframe[0]
    entity = kind[:-1]
    assert board.value["link"].iloc[0] == labelled_url(entity, key, label)
    assert_readable(board)


def test_an_old_drill_down_url_opens_the_entity_page():
    at = open_page("authors", key="a-dana")
    assert at.title[0].value == "Dana Álvarez"
    assert "Jun 2024" in metrics(at)["First listed"][0]
    assert "This author has no papers" not in markdown(at)


def test_people_table_has_no_none_for_unclaimed_authors(repo):
    from dashboard.entity_frames import people_table

    shown = people_table(repo.entity_people_page("authors", "a-ann", 50))
    assert not pd.isna(shown.to_pandas()["hf_profile"]).any()
    assert set(shown["hf_profile"].to_list()) == {"", "https://huggingface.co/danaal"}


def test_papers_and_people_come_a_page_at_a_time_and_the_url_keeps_the_page(monkeypatch):
    from dashboard import entity_page

    monkeypatch.setattr(entity_page, "PAGE_ROWS", 2)
    at = open_page("author", id="a-ann")
    # Ann's papers by upvotes: 50, 30 | 20, 7; her co-authors by their paper's upvotes: Ben (50), Cat (30) | Dana (7)
    assert at.dataframe[0].value["upvotes"].tolist() == [50, 30]
    assert at.dataframe[1].value["author"].tolist() == [
        labelled_url("author", "a-ben", "Ben Lee"),
        labelled_url("author", "a-cat", "Cat Kim"),
    ]
    assert "1–2 of 4" in [c.value for c in at.caption]
    assert metrics(at)["Papers"][0] == "4"  # the figures stay those of every paper
    at.button(key="page_next").click().run()
    assert at.query_params["page"] in ("2", ["2"]) and at.query_params["id"] in ("a-ann", ["a-ann"])
    assert at.dataframe[0].value["upvotes"].tolist() == [20, 7]
    assert at.button(key="page_next").disabled
    at.button(key="page_previous").click().run()
    assert "page" not in at.query_params and at.dataframe[0].value["upvotes"].tolist() == [50, 30]
    at.button(key="people_page_next").click().run()
    assert at.dataframe[1].value["author"].tolist() == [labelled_url("author", "a-dana", "Dana Álvarez")]
    # a shared URL opens on its pages; a page past the end shows the last one
    shared = open_page("author", id="a-ann", page="2", people_page="2")
    assert shared.dataframe[0].value["upvotes"].tolist() == [20, 7]
    assert len(shared.dataframe[1].value) == 1
    past = open_page("author", id="a-ann", page="9", people_page="9")
    assert past.dataframe[0].value["upvotes"].tolist() == [20, 7]
    assert past.dataframe[1].value["author"].tolist() == [labelled_url("author", "a-dana", "Dana Álvarez")]
    assert any(s.value == "Co-authors (3)" for s in past.subheader)


def test_the_csv_download_still_gives_every_paper(repo):
    at = open_page("author", id="a-ann")
    [button] = [b for b in at.get("download_button") if "Download CSV" in b.proto.label]
    assert button.proto.label == "Download CSV (4 rows)"
    assert repo.entity_papers("authors", "a-ann")["upvotes"].to_list() == [50, 30, 20, 7]
