"""Every page on the seeded warehouse (tests/dashboard/seed.py): the numbers shown equal the SQL
answer, and the SQL answer equals the figure worked out by hand from the seeded rows."""

from __future__ import annotations

import re
from datetime import date

import pytest

from dashboard.filters import PaperFilters
from tests.dashboard.apptest_helpers import markdown, metrics, open_page

# Every test here reads the seeded warehouse of a temporary PAPERS_HOME, never data/.
pytestmark = pytest.mark.usefixtures("warehouse_path")


def test_overview_kpis_compare_the_last_7_days_with_the_7_before(repo):
    at = open_page("overview", period="7d")
    shown = metrics(at)
    # 2025-01-08..14 holds only 2501.00004 (5 upvotes, Ben, deepseek-ai); 2025-01-01..07 holds
    # 2501.00001-3 (50, 10, 30 upvotes; Ann, Ben, Cat; deepseek-ai and google).
    assert shown["Papers"] == ("1", "-2")
    assert shown["Upvotes"] == ("5", "-85")
    assert shown["Median upvotes"] == ("5.0", "-25.0")
    assert shown["Authors"] == ("1", "-2")
    assert shown["Organisations"] == ("1", "-1")
    sql = repo.kpis(date(2025, 1, 8), date(2025, 1, 14))
    assert shown["Papers"][0] == str(sql["papers"]) and shown["Upvotes"][0] == str(sql["upvotes"])


def test_overview_top_papers_and_freshness(repo):
    at = open_page("overview", period="30d")
    html = "".join(h.proto.body for h in at.get("html"))
    rows = re.findall(r'<td class="pl-title"><a href="/paper\?id=([^"]+)" target="_self">.*?</td>.*?</span>([\d,]+)</td>', html)
    # All five seeded papers fall within the 30 days up to 2025-01-14, best first.
    assert [int(upvotes) for _, upvotes in rows] == [50, 30, 20, 10, 5]
    assert [paper_id for paper_id, _ in rows] == repo.papers(
        PaperFilters(start=date(2024, 12, 16), end=date(2025, 1, 14), limit=10)
    )["paper_id"].to_list()
    assert 'href="/organization?id=' in html  # organisations link to their pages
    assert any("Tue 14 Jan 2025" in c.value and "2025-01-14 12:00 UTC" in c.value for c in at.caption)


def test_papers_filters_from_the_url_match_sql(repo):
    at = open_page("papers", gh="1", **{"from": "2024-12-01", "to": "2025-01-31"})
    table = at.dataframe[0].value
    # Only 2501.00001 and 2501.00003 link a GitHub repository.
    assert table["paper_id"].tolist() == ["2501.00001", "2501.00003"]
    expected = repo.papers(PaperFilters(start=date(2024, 12, 1), end=date(2025, 1, 31), has_github=True))
    assert table["paper_id"].tolist() == expected["paper_id"].to_list()
    assert "**2 papers match**" in markdown(at)


def test_papers_keyword_include_and_exclude():
    at = open_page("papers", kw="reasoning", nokw="rl", **{"from": "2024-12-01", "to": "2025-01-31"})
    # 'reasoning' is on 00001 and 00003; 00001 also has 'RL' (any case), so only 00003 is left.
    assert at.dataframe[0].value["paper_id"].tolist() == ["2501.00003"]
    assert "**1 paper matches**" in markdown(at)


def test_papers_by_arxiv_date_and_min_upvotes():
    at = open_page("papers", basis="arxiv", min="10", **{"from": "2025-01-04", "to": "2025-01-10"})
    # arXiv dates 01-04 (10 upvotes), 01-05 (30) and 01-10 (5); min 10 drops the last.
    assert at.dataframe[0].value["paper_id"].tolist() == ["2501.00003", "2501.00002"]


def test_papers_widget_change_updates_table_and_url():
    at = open_page("papers", **{"from": "2024-12-01", "to": "2025-01-31"})
    assert len(at.dataframe[0].value) == 5
    at.multiselect(key="papers_orgs").set_value(["deepseek-ai"]).run()
    # deepseek-ai claimed 2501.00001 (50) and 2501.00004 (5).
    assert at.dataframe[0].value["paper_id"].tolist() == ["2501.00001", "2501.00004"]
    assert at.query_params["org"] == "deepseek-ai"


def test_papers_ranked_by_hotness_follow_the_velocity_view(repo):
    at = open_page("papers", rank="hotness", **{"from": "2024-12-01", "to": "2025-01-31"})
    expected = repo.frame("SELECT paper_id FROM paper_velocity ORDER BY hotness DESC, paper_id")["paper_id"].to_list()
    assert at.dataframe[0].value["paper_id"].tolist() == expected


def test_paper_detail_shows_abstract_authors_links_and_votes(repo):
    at = open_page("paper", id="2501.00001")
    assert at.title[0].value == "Reasoning with Reinforcement"
    assert "We train reasoning models with RL." in markdown(at)
    links = {b.value: b.proto.url for b in at.link_button}
    assert links["Hugging Face"] == "https://huggingface.co/papers/2501.00001"
    assert links["arXiv"] == "https://arxiv.org/abs/2501.00001"
    assert links["GitHub"] == "https://github.com/ds/r1"
    assert links["Project page"] == "https://r1.example"
    labels = [p.value for p in at.page_link]
    # Authors in listed order, each a link to their author page.
    assert "1. Ann Li" in labels and "2. Ben Lee" in labels
    assert "deepseek-ai" in labels
    # Three observations 10 -> 40 -> 50 between 2025-01-06 08:00 and 2025-01-07 08:00: 40 per day.
    assert metrics(at)["Upvotes per day"][0] == "40.0"
    assert repo.vote_history("2501.00001")["upvotes"].to_list() == [10, 40, 50]


def test_paper_detail_unknown_id_says_so():
    at = open_page("paper", id="9999.99999")
    assert any("No paper with id `9999.99999`" in w.value for w in at.warning)


def test_authors_leaderboard_links_each_name_to_its_page(repo):
    at = open_page("authors", **{"from": "2025-01-01", "to": "2025-01-14"})
    board = at.dataframe[0].value
    # Ann: 50 + 30 = 80; Ben: 50 + 5 = 55; Cat: 10 + 30 = 40 (2412.00005 is outside the range).
    assert board["link"].tolist() == ["/author?id=a-ann#Ann%20Li", "/author?id=a-ben#Ben%20Lee", "/author?id=a-cat#Cat%20Kim"]
    assert board["total_upvotes"].tolist() == [80, 55, 40]
    expected = repo.leaderboard("authors", date(2025, 1, 1), date(2025, 1, 14))
    assert board["total_upvotes"].tolist() == expected["total_upvotes"].to_list()
    assert board["median_upvotes"].tolist()[0] == 40.0


@pytest.mark.parametrize("kind", ["authors", "organizations", "submitters"])
def test_a_limited_leaderboard_is_the_top_of_the_full_one_and_its_size_counts_every_row(repo, kind):
    start, end = date(2024, 12, 1), date(2025, 1, 14)
    full = repo.leaderboard(kind, start, end)
    assert full.height >= 2
    assert repo.leaderboard(kind, start, end, limit=full.height - 1).equals(full.head(full.height - 1))
    assert repo.leaderboard_size(kind, start, end) == full.height


def test_organisations_leaderboard():
    at = open_page("organizations", **{"from": "2025-01-01", "to": "2025-01-14"})
    board = at.dataframe[0].value
    # deepseek-ai: 50 + 5; google: 30.
    assert board["link"].tolist() == ["/organization?id=deepseek-ai#DeepSeek", "/organization?id=google#Google"]
    assert board["total_upvotes"].tolist() == [55, 30]


def test_submitters_leaderboard_and_an_old_drill_down_url(repo):
    at = open_page("submitters", **{"from": "2024-12-01", "to": "2025-01-14"})
    board = at.dataframe[0].value
    # akhaliq: 50 + 30; alice: 10 + 20; bob: 5.
    assert board["link"].str.split("#").str[0].tolist() == ["/submitter?id=akhaliq", "/submitter?id=alice", "/submitter?id=bob"]
    assert board["total_upvotes"].tolist() == [80, 30, 5]
    # A URL shared before entity pages (?key=) opens the submitter's page: alice, all time.
    at = open_page("submitters", key="alice")
    assert at.title[0].value == "Alice"
    assert metrics(at)["Papers"][0] == "2"
    # alice submitted 2501.00002 (Cat) and 2412.00005 (Ann): two people
    assert at.dataframe[1].value["author"].str.split("#").str[0].tolist() == ["/author?id=a-ann", "/author?id=a-cat"]
    start, end = date(2024, 12, 1), date(2025, 1, 14)
    assert repo.distinct_authors("submitters", "alice", start, end) == 2


def test_an_organisations_authors_are_its_papers_distinct_people(repo):
    # deepseek-ai in January: 2501.00001 (Ann, Ben) and 2501.00004 (Ben)
    assert repo.distinct_authors("organizations", "deepseek-ai", date(2025, 1, 1), date(2025, 1, 14)) == 2
    # an author's people are the author and the co-authors
    assert repo.distinct_authors("authors", "a-ann", date(2025, 1, 1), date(2025, 1, 14)) == 3


def test_trends_default_keywords_and_rising_table(repo):
    at = open_page("trends")
    # 'reasoning' and 'rl' (from 'RL') are on two papers each, 'diffusion' on one.
    assert at.multiselect(key="trends_keywords").value == ["reasoning", "rl", "diffusion"]
    rising = at.dataframe[0].value
    assert rising["keyword"].tolist() == repo.rising_keywords()["keyword"].to_list()


def test_search_finds_by_abstract_word(repo):
    at = open_page("search", q="diffusion")
    # Only 2501.00002 mentions diffusion (title and abstract).
    assert "**1 paper** matches" in markdown(at)
    assert [p.value for p in at.page_link] == ["Fast Diffusion Samplers"]
    assert repo.search("diffusion")["paper_id"].to_list() == ["2501.00002"]


def test_data_health_counts(repo):
    at = open_page("health")
    shown = metrics(at)
    # Four loaded days between 2024-12-30 and 2025-01-14 (16 days): 12 missing; one quarantined.
    assert shown["Partitions loaded"][0] == "4"
    assert shown["Days missing"][0] == "12"
    assert shown["Quarantined records"][0] == "1"
    assert shown["Last publish"][0] == "2025-01-14 12:00 UTC"
    assert len(at.dataframe[1].value) == 12 == repo.missing_days().height
    assert at.dataframe[2].value["reason"].tolist() == ["paper.id missing"]
    assert at.link_button[0].proto.url == "http://127.0.0.1:3000"
