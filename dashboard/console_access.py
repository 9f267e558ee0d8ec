"""Whether the SQL console is on: by default only when the dashboard listens on loopback alone.

A dashboard bound to another address can be reached from the network, and the console runs any
read on the warehouse for whoever reaches it; so there it stays off unless `PAPERS_SQL_CONSOLE=on`
says otherwise. The address is the one Streamlit actually binds (`server.address`, from
`--server.address` or `.streamlit/config.toml`), not what a launcher meant to pass.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from papers_settings.settings import SQL_CONSOLE_ENV as SETTING

CHOICES = ("auto", "on", "off")


@dataclass(frozen=True)
class ConsoleAccess:
    """Whether the console may run queries, and if not, why and how to turn it on."""

    enabled: bool
    reason: str = ""


def is_loopback(address: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost; False for every other address and for none (all interfaces)."""
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def console_access(address: str | None, setting: str | None) -> ConsoleAccess:
    """The console's state for a dashboard bound to `address` with `PAPERS_SQL_CONSOLE` = `setting`."""
    choice = (setting or "auto").strip().lower()
    if choice not in CHOICES:
        return ConsoleAccess(
            False, f"The SQL console is off: {SETTING} is '{setting}', and it must be one of {', '.join(CHOICES)}."
        )
    if choice == "on":
        return ConsoleAccess(True)
    if choice == "off":
        return ConsoleAccess(
            False,
            f"The SQL console is off because `{SETTING}=off`. Unset it (or set it to on) and restart the dashboard to use it.",
        )
    if is_loopback(address):
        return ConsoleAccess(True)
    where = f"on {address}" if address else "on every network interface"
    return ConsoleAccess(
        False,
        (
            f"The SQL console is off because this dashboard listens {where}, so anyone who can reach it over the "
            "network could run queries on the warehouse. To use it, restart the dashboard on 127.0.0.1 (the default "
            f"of `papers up`), or turn it on anyway with `papers up --enable-sql-console` or `{SETTING}=on`."
        ),
    )


def current_console_access() -> ConsoleAccess:
    """The console's state in the running Streamlit server."""
    import streamlit as st

    from dashboard.context import current_settings

    return console_access(st.get_option("server.address"), current_settings().sql_console)
