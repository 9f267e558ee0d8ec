"""How a measurement script hands over its result: JSON on stdout, and in a file when asked."""

from __future__ import annotations

import json
from pathlib import Path


def print_result(result: dict, out: Path | None = None) -> None:
    """Print `result` as indented JSON (dates and paths as text), and write it to `out` too if given."""
    text = json.dumps(result, indent=2, default=str)
    if out:
        out.write_text(text + "\n")
    print(text)
