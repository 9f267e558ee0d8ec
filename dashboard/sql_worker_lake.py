"""The SQL console's worker on a DuckLake warehouse: open the published snapshot, then shut every door.

Loaded by `dashboard.sql_worker` (from its own folder: the worker runs isolated and imports
nothing of the project; this module, too, needs only duckdb and the standard library).

DuckLake needs what the file console forbids: two extensions, a PostgreSQL connection to its
catalog and reads of Parquet files. So the worker loads the extensions from the registry wheels'
files and attaches the lake READ_ONLY at the published snapshot *before* it locks anything, then
allows file reads under the lake's data path only (`allowed_directories`), turns external access
off (no other file, no network, no ATTACH of a PostgreSQL database) and locks the configuration.
The catalog's PostgreSQL connection is already open; DuckLake keeps reading through it. (Allowing
exactly the snapshot's files instead, via `ducklake_list_files` per table, cost 4.8 s a query.)

What a locked configuration cannot stop is checked on the statement's parse tree (`refusal`),
because four doors stay open inside a SELECT once DuckLake is attached (seen on duckdb 1.5.5):
`AT (VERSION => n)` reads a snapshot newer than the published one; the catalog's own tables
(`__ducklake_metadata_<name>.*`) hold every commit, published or not; and table functions such as
`postgres_query` (arbitrary SQL on the catalog's server), `ducklake_table_changes` or `query_table`
(a table named by a string) reach past the snapshot; and the data path also holds the files of
commits not yet published. So on the lake a statement may call only the table functions in
SAFE_TABLE_FUNCTIONS and the lake's own table macros, name no catalog table, no file (a table name
with `/`, `\\`, `:` or `.` is a file DuckDB would scan) and use no AT clause. Writes fail twice
over: the statement check admits reads only, and the lake is attached read-only.
"""

from __future__ import annotations

import json
import os
import re

import duckdb

LAKE = "lake"
METADATA_PREFIX = "__ducklake_metadata"  # DuckLake attaches its catalog as __ducklake_metadata_<alias>
# Table functions a read needs that reach nothing outside the attached snapshot. Not
# duckdb_databases: it shows the catalog's connection string, which may hold a password.
SAFE_TABLE_FUNCTIONS = frozenset(
    {
        "range",
        "generate_series",
        "unnest",
        "duckdb_tables",
        "duckdb_views",
        "duckdb_columns",
        "duckdb_functions",
        "duckdb_schemas",
        "duckdb_types",
        "duckdb_constraints",
        "duckdb_indexes",
        "duckdb_keywords",
        "pragma_table_info",
        "pragma_show",
    }
)
# LOAD takes a file whose name is the extension's own: the postgres wheel's file holds `postgres_scanner`.
LOADED_AS = {"postgres": "postgres_scanner"}
FILE_NAME = re.compile(r"[/\\\\:.]")  # what no table name has and a file name a scan would read has
EXPLAIN_PREFIX = re.compile(r"^\s*EXPLAIN\s+(ANALY[SZ]E\s+)?", re.IGNORECASE)


def sql_literal(text: str) -> str:
    """`text` as an SQL string literal (quotes doubled): ATTACH and LOAD take no parameters."""
    return "'" + text.replace("'", "''") + "'"


def connect(lake: dict, limits: dict) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB opened with `limits` (the worker's `limits_config`), `lake` attached
    read-only at its published snapshot, then locked."""
    con = duckdb.connect(":memory:", config=limits)
    try:
        for path, name in lake["extensions"]:
            con.execute(f"LOAD {sql_literal(_named_file(path, LOADED_AS.get(name, name)))}")
        con.execute("SET enable_progress_bar = false")
        con.execute(
            f"ATTACH {sql_literal('ducklake:' + lake['catalog'])} AS {LAKE} (READ_ONLY, SNAPSHOT_VERSION {int(lake['snapshot'])})"
        )
        con.execute(f"USE {LAKE}")
        # A folder ends in "/", so that /data does not also allow /data-other.
        con.execute("SET allowed_directories = $dirs", {"dirs": [lake["data_path"].rstrip("/") + "/"]})
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


def _named_file(path: str, name: str) -> str:
    """`path` reachable as `<name>.duckdb_extension` in the worker's scratch folder (its cwd)."""
    link = os.path.abspath(f"{name}.duckdb_extension")
    if not os.path.exists(link):
        os.symlink(path, link)
    return link


def refusal(con: duckdb.DuckDBPyConnection, statement: duckdb.Statement) -> str | None:
    """Why the read `statement` may not run on the lake (see the module's docstring), or None."""
    sql = statement.query
    if statement.type == duckdb.StatementType.EXPLAIN:
        sql = EXPLAIN_PREFIX.sub("", sql, count=1)
    [(serialized,)] = con.execute("SELECT json_serialize_sql($sql)", {"sql": sql}).fetchall()
    tree = json.loads(serialized)
    if tree.get("error"):
        return f"The console could not check this statement on the DuckLake warehouse: {tree.get('error_message')}"
    macros = {
        name
        for (name,) in con.execute(
            "SELECT function_name FROM duckdb_functions() WHERE database_name = $lake AND function_type = 'table_macro'",
            {"lake": LAKE},
        ).fetchall()
    }
    return tree_refusal(tree["statements"], SAFE_TABLE_FUNCTIONS | macros)


def tree_refusal(node: object, allowed_functions: frozenset[str] | set[str]) -> str | None:
    """The first reason found anywhere in a json_serialize_sql tree, or None."""
    if isinstance(node, list):
        return next((why for child in node if (why := tree_refusal(child, allowed_functions))), None)
    if not isinstance(node, dict):
        return None
    if node.get("at_clause"):
        return "AT (time travel) is not allowed: the console reads the published snapshot only."
    for key in ("catalog_name", "schema_name", "catalog", "schema"):
        if str(node.get(key) or "").lower().startswith(METADATA_PREFIX):
            return f"{node[key]} is not readable from the console: it is the DuckLake catalog itself, not the warehouse."
    if node.get("type") == "BASE_TABLE" and FILE_NAME.search(str(node.get("table_name", ""))):
        return f"Reading the file {node['table_name']} is not allowed: the console reads the warehouse's tables and views only."
    if node.get("type") == "TABLE_FUNCTION":
        function = node.get("function") or {}
        name = str(function.get("function_name", "")).lower()
        if name not in allowed_functions or str(function.get("catalog") or LAKE).lower() != LAKE:
            return (
                f"The table function {name} is not allowed on the DuckLake warehouse: the console reads the "
                "published snapshot's tables, views and table macros only."
            )
    return next((why for child in node.values() if (why := tree_refusal(child, allowed_functions))), None)
