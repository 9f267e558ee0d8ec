"""The SQL console is on by default only for a dashboard bound to loopback alone."""

from __future__ import annotations

import pytest

from dashboard.console_access import console_access, is_loopback


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.1.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.0.2.2", False),
        ("my-host", False),
        ("", False),
        (None, False),
    ],
)
def test_loopback_addresses(address, loopback):
    assert is_loopback(address) is loopback


@pytest.mark.parametrize(
    ("address", "setting", "enabled"),
    [
        ("127.0.0.1", None, True),  # the default of `papers up` and of .streamlit/config.toml
        ("127.0.0.1", "auto", True),
        ("127.0.0.1", "off", False),  # off even locally when asked
        ("0.0.0.0", None, False),  # reachable from the network: off unless enabled explicitly
        (None, None, False),  # no address means every interface
        ("0.0.0.0", "on", True),
        ("0.0.0.0", " ON ", True),
        ("127.0.0.1", "yes", False),  # an unknown value never turns it on
    ],
)
def test_console_access(address, setting, enabled):
    access = console_access(address, setting)
    assert access.enabled is enabled
    assert (access.reason == "") is enabled
