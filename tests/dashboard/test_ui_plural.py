"""Counts read as English on the pages ("1 comment", not "1 comments")."""

from dashboard.ui import plural


def test_one_is_singular_and_everything_else_plural():
    assert plural(1, "comment") == "1 comment"
    assert plural(0, "comment") == "0 comments"
    assert plural(1200, "comment") == "1,200 comments"
