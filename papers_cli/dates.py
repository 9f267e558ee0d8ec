"""Parsing dates given on the command line."""

from __future__ import annotations

import argparse
from datetime import date


def iso_date(text: str) -> date:
    """argparse type: a YYYY-MM-DD date, with a message that says what was wrong."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in YYYY-MM-DD form") from None
