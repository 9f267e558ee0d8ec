"""normalise_keyword's whitespace rule, including the characters its fast path must send to the regex."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("LLM", "llm"),  # no whitespace: only lower-cased
        ("Large Language", "large language"),  # single spaces stay
        ("a  b", "a b"),  # a run of spaces collapses
        (" A\tB ", "a b"),  # a tab is whitespace; the ends are trimmed
        ("a \n b", "a b"),  # newline inside a run of spaces
        ("x\r\fy", "x y"),  # return and form feed together: one space
        ("x\u00a0y", "x\u00a0y"),  # a no-break space is not RE2 whitespace: kept
        ("\t\n", None),  # whitespace only: no keyword
        ("", None),
    ],
)
def test_normalise_keyword(hand_warehouse, raw, expected):
    assert hand_warehouse.rows("SELECT normalise_keyword(?) AS k", [raw]) == [{"k": expected}]
