"""The SQL console page: runs a query, shows refusals clearly, and keeps working after them."""

from __future__ import annotations

import pytest
from streamlit import config

from tests.dashboard.apptest_helpers import open_page

pytestmark = pytest.mark.usefixtures("warehouse_path", "loopback")


@pytest.fixture
def listening_on():
    """Set the address the dashboard binds (`server.address`) for one test, then restore it."""
    before = config.get_option("server.address")
    yield lambda address: config.set_option("server.address", address)
    config.set_option("server.address", before)


@pytest.fixture
def loopback(listening_on, monkeypatch):
    """The default: bound to 127.0.0.1, PAPERS_SQL_CONSOLE unset (whatever the cwd's config says)."""
    listening_on("127.0.0.1")
    monkeypatch.delenv("PAPERS_SQL_CONSOLE", raising=False)


def run_sql(at, sql: str):
    """Type `sql` into the editor and press Run."""
    at.text_area(key="sql_text").input(sql)
    next(b for b in at.button if b.label == "Run query").click()
    return at.run()


def test_a_query_shows_the_sql_answer_and_offers_csv(repo):
    at = open_page("sql")
    sql = "SELECT submitted_by, count(*) AS papers FROM papers GROUP BY ALL ORDER BY papers DESC, submitted_by"
    run_sql(at, sql)
    assert not at.error
    shown = at.dataframe[0].value
    # akhaliq and alice submitted two papers each, bob one.
    assert shown.to_dict("list") == {"submitted_by": ["akhaliq", "alice", "bob"], "papers": [2, 2, 1]}
    assert shown.to_dict("list") == repo.frame(sql).to_dict(as_series=False)
    assert any(b.label.startswith("Download CSV (3 rows)") for b in at.get("download_button"))


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("DELETE FROM papers", "DELETE is not allowed"),
        ("CREATE TABLE x (i INT)", "CREATE is not allowed"),
        ("ATTACH '/tmp/x.duckdb'", "ATTACH is not allowed"),
        ("COPY papers TO '/tmp/x.csv'", "COPY is not allowed"),
        ("SELECT * FROM read_csv('/etc/passwd')", "cannot read or write files"),
        ("INSTALL httpfs", "INSTALL is not allowed"),
        ("SET threads = 1", "SET is not allowed"),
        ("SELECT 1; SELECT 2", "one statement at a time"),
    ],
)
def test_refusals_are_shown_and_the_console_still_answers(sql, message):
    at = open_page("sql")
    run_sql(at, sql)
    assert message in at.error[0].value
    run_sql(at, "SELECT count(*) AS n FROM papers")
    assert not at.error
    assert at.dataframe[0].value["n"].tolist() == [5]


def test_a_large_result_is_capped_with_a_notice():
    at = open_page("sql")
    run_sql(at, "SELECT * FROM range(1000000)")
    assert at.warning[0].value == "Showing the first 1,000 rows; the result has more."
    assert len(at.dataframe[0].value) == 1000


def test_a_result_past_the_byte_cap_is_truncated_with_a_notice():
    at = open_page("sql")
    run_sql(at, "SELECT i, repeat('x', 100000) AS s FROM range(1000) t(i)")
    assert at.warning[0].value == "Result truncated at 16 MB: showing the first 159 rows; the result has more."
    assert len(at.dataframe[0].value) == 159


def test_an_800_kb_query_is_refused_by_its_length():
    at = open_page("sql")
    run_sql(at, "SELECT " + "(" * 400_000 + "1" + ")" * 400_000)
    assert at.error[0].value == "The SQL is 800,008 characters long; the console runs statements of at most 100,000."


@pytest.mark.parametrize("address", ["0.0.0.0", "192.0.2.2", "::", None])
def test_the_console_is_off_when_the_dashboard_listens_beyond_loopback(listening_on, address):
    listening_on(address)
    at = open_page("sql")
    where = f"on {address}" if address else "on every network interface"
    assert at.warning[0].value.startswith(f"The SQL console is off because this dashboard listens {where}")
    assert "`papers up --enable-sql-console` or `PAPERS_SQL_CONSOLE=on`" in at.warning[0].value
    assert not at.text_area and not [b for b in at.button if b.label == "Run query"]


def test_the_console_can_be_turned_on_explicitly_beyond_loopback(listening_on, monkeypatch):
    listening_on("0.0.0.0")
    monkeypatch.setenv("PAPERS_SQL_CONSOLE", "on")
    at = open_page("sql")
    run_sql(at, "SELECT count(*) AS n FROM papers")
    assert not at.warning and at.dataframe[0].value["n"].tolist() == [5]


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("off", "The SQL console is off because `PAPERS_SQL_CONSOLE=off`."),
        ("yes", "The SQL console is off: PAPERS_SQL_CONSOLE is 'yes', and it must be one of auto, on, off."),
    ],
)
def test_the_console_can_be_turned_off_or_misconfigured_on_loopback(monkeypatch, setting, message):
    monkeypatch.setenv("PAPERS_SQL_CONSOLE", setting)
    at = open_page("sql")
    assert at.warning[0].value.startswith(message)
    assert not at.text_area


def test_an_example_loads_into_the_editor_and_runs():
    at = open_page("sql")
    next(b for b in at.button if b.label == "Papers per week").click()
    at.run()
    assert at.text_area(key="sql_text").value.startswith("SELECT date_trunc('week', listing_date)")
    next(b for b in at.button if b.label == "Run query").click()
    at.run()
    # Three listing weeks: 2024-12-30, 2025-01-06 and 2025-01-13.
    assert len(at.dataframe[0].value) == 3


def test_the_schema_lists_the_core_tables():
    at = open_page("sql")
    names = [e.label for e in at.expander]
    for table in ("papers · table", "authors · table", "paper_authors · table", "votes · table"):
        assert table in names
