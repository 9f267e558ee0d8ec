"""A measurement's JSON: the same on stdout and in the --out file, dates and paths as text."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from bench.json_output import print_result


def test_the_printed_and_the_written_result_are_the_same_json(tmp_path, capsys):
    out = tmp_path / "result.json"
    print_result({"day": date(2026, 12, 6), "history": Path("/h"), "wall_s": 1.5}, out)
    expected = {"day": "2026-12-06", "history": "/h", "wall_s": 1.5}
    assert json.loads(capsys.readouterr().out) == expected
    assert json.loads(out.read_text()) == expected


def test_without_out_nothing_is_written(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    print_result({"a": 1})
    assert json.loads(capsys.readouterr().out) == {"a": 1}
    assert list(tmp_path.iterdir()) == []
