"""SQL console: one read-only statement at a time on the published warehouse.

Execution happens in `dashboard.sql_console_runner` (a locked-down worker process with a timeout, a
memory cap and a row and byte cap on the result); this page is the editor, the schema and examples
beside it, and the result. The page runs nothing when the console is off
(`dashboard.console_access`: by default, whenever the dashboard listens beyond loopback).
"""

from __future__ import annotations

import streamlit as st

from dashboard import ui
from dashboard.console_access import current_console_access
from dashboard.repository import WarehouseRepository
from dashboard.sql_console_runner import ConsoleLimits, run_console_query

EXAMPLES = {
    # Relative to the newest loaded day, not today: a warehouse that is not fetched daily (the
    # bundled sample ends 2025-12-25) still has a "latest month".
    "Top papers of the latest 30 days": (
        "SELECT paper_id, title, upvotes, listing_date\n"
        "FROM papers\n"
        "WHERE listing_date > (SELECT max(listing_date) FROM papers) - INTERVAL 30 DAY\n"
        "ORDER BY upvotes DESC\n"
        "LIMIT 20"
    ),
    "Papers per week": (
        "SELECT date_trunc('week', listing_date) AS week, count(*) AS papers, sum(upvotes) AS upvotes\n"
        "FROM papers\n"
        "GROUP BY ALL\n"
        "ORDER BY week DESC"
    ),
    "Most prolific authors": (
        "SELECT a.name, count(*) AS papers\n"
        "FROM paper_authors pa JOIN authors a USING (author_id)\n"
        "GROUP BY ALL\n"
        "ORDER BY papers DESC\n"
        "LIMIT 20"
    ),
    "Fastest risers": (
        "SELECT paper_id, latest_upvotes, upvotes_per_day, hotness\nFROM paper_velocity\nORDER BY hotness DESC\nLIMIT 20"
    ),
    "Daily metrics": "SELECT * FROM daily_metrics ORDER BY listing_date DESC LIMIT 30",
}
LIMITS = ConsoleLimits()


def side_panel(repo: WarehouseRepository) -> None:
    """The warehouse's tables and views with their columns, and example queries to load."""
    st.markdown("**Examples**")
    for title, sql in EXAMPLES.items():
        if st.button(title, key=f"example_{title}", width="stretch"):
            st.session_state["sql_text"] = sql
    st.markdown("**Schema**")
    schema = repo.schema_overview()
    for row in schema.iter_rows(named=True):
        with st.expander(f"{row['name']} · {row['kind']}"):
            st.caption(row["columns"])


def render(repo: WarehouseRepository) -> None:
    """Draw the SQL console page from `repo`."""
    st.title("SQL console")
    access = current_console_access()
    if not access.enabled:
        st.warning(access.reason, icon=":material/lock:")
        return
    if not ui.ready(repo):
        return
    st.caption(
        f"One read-only statement (SELECT, WITH, FROM, DESCRIBE, SUMMARIZE, EXPLAIN) on the published warehouse. "
        f"Stops after {LIMITS.timeout_s:g} s; shows at most {LIMITS.row_cap:,} rows and "
        f"{LIMITS.max_result_bytes / 1e6:g} MB. Files, extensions and settings are off limits."
    )
    editor, side = st.columns([3, 1], gap="large")
    with side:
        side_panel(repo)
    with editor:
        ui.seed_state("sql_text", ui.param("sql", EXAMPLES["Top papers of the latest 30 days"]))
        with st.form("sql_form", border=False):
            sql = st.text_area("SQL", key="sql_text", height=200, label_visibility="collapsed")
            run = st.form_submit_button("Run query", type="primary", icon=":material/play_arrow:")
        if run:
            ui.publish_params({"sql": sql if len(sql) <= 2000 else None})
            with st.spinner("Running…"):
                st.session_state["sql_result"] = run_console_query(repo.path, sql, LIMITS)
        result = st.session_state.get("sql_result")
        if result is None:
            return
        if not result.ok:
            st.error(result.message, icon=":material/block:")
            return
        (st.warning if result.truncated else st.success)(result.message)
        st.dataframe(
            result.frame, hide_index=True, width="stretch", height=min(38 + 35 * max(len(result.frame), 1), 560), key="sql_table"
        )
        st.download_button(
            f"Download CSV ({len(result.frame):,} rows)",
            result.frame.to_csv(index=False),
            file_name="query.csv",
            mime="text/csv",
            icon=":material/download:",
            key="sql_csv",
        )


if __name__ == "__main__":
    from dashboard.context import current_repository

    render(current_repository())
