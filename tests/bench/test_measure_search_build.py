"""The search build measurement: rounds on copies of a file, which stays as it was."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bench import measure_search_build
from tests.warehouse.conftest import papers_file
from warehouse import derived

DAY = date(2025, 12, 25)


@pytest.fixture
def warehouse_file(tmp_path):
    rows = [
        ("a1", "Mamba state space", "Selective state space models."),
        ("a2", "Mamba vision", "State space vision."),
        ("a3", "Quantum annealing", "Ising machines."),
    ]
    return papers_file(tmp_path / "source.duckdb", DAY, rows)


def test_each_round_builds_on_its_own_copy_and_reports_what_it_built(warehouse_file, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(derived, "REBUILD_MEMORY_LIMITS", derived.REBUILD_MEMORY_LIMITS)  # --first-limit-only sets it
    before = warehouse_file.read_bytes()
    out = tmp_path / "result.json"
    argv = [str(warehouse_file), "--rounds", "2", "--work", str(tmp_path / "work"), "--out", str(out)]
    assert measure_search_build.main(argv) == 0
    result = json.loads(out.read_text())
    assert json.loads(capsys.readouterr().out) == result
    assert [r["papers"] for r in result["rounds"]] == [3, 3]
    # a1 and a2 share 'mamba', 'state', 'space': each is the other's only neighbour; a3 has none
    assert [r["counts"]["similar_papers"] for r in result["rounds"]] == [2, 2]
    assert all(r["counts"]["search_index"] > 0 and r["cpu_s"] > 0 for r in result["rounds"])
    assert warehouse_file.read_bytes() == before  # built on copies only
    assert list((tmp_path / "work").iterdir()) == []


def test_first_limit_only_allows_the_first_memory_limit_alone(warehouse_file, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(derived, "REBUILD_MEMORY_LIMITS", derived.REBUILD_MEMORY_LIMITS)
    measure_search_build.main([str(warehouse_file), "--rounds", "1", "--first-limit-only"])
    assert json.loads(capsys.readouterr().out)["memory_limits"] == ["96MB"]


def test_a_missing_file_is_named(tmp_path, capsys):
    with pytest.raises(SystemExit):
        measure_search_build.main([str(tmp_path / "nowhere.duckdb")])
    assert "nowhere.duckdb" in capsys.readouterr().err
