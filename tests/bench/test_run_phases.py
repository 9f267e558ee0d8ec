"""Where a command's wall time went outside its steps, from its runs' event timestamps."""

import py_compile
import sys
from importlib.util import cache_from_source, find_spec

import pytest

from bench.machine import bytecode_state
from bench.run_phases import run_phases


def test_a_runs_phases_split_its_time_from_the_previous_end_to_its_own():
    marks = [
        ("ASSET_MATERIALIZATION_PLANNED", 10.0),  # created: its planned events come first
        ("ASSET_MATERIALIZATION_PLANNED", 10.5),
        ("PIPELINE_START", 11.0),
        ("STEP_START", 11.25),
        (None, 12.0),  # a log message inside the step
        ("STEP_SUCCESS", 15.0),
        ("STEP_START", 15.5),
        ("STEP_FAILURE", 16.0),
        ("PIPELINE_FAILURE", 16.75),
    ]
    phases = run_phases(marks, previous_end=8.0)
    assert phases == {
        "before_s": 2.0,
        "created_to_start_s": 1.0,
        "start_to_first_step_s": 0.25,
        "steps_s": 4.75,
        "last_step_to_end_s": 0.75,
        "events": 9,
        "end": 16.75,
    }
    # the phases cover the whole span without gaps or overlaps
    assert sum(v for k, v in phases.items() if k.endswith("_s")) == 16.75 - 8.0


def test_a_run_that_never_reached_a_step_has_no_step_time():
    marks = [("PIPELINE_START", 3.0), ("PIPELINE_FAILURE", 3.5)]
    phases = run_phases(marks, previous_end=1.0)
    assert phases["steps_s"] == 0 and phases["last_step_to_end_s"] == 0.5


def test_bytecode_state_sees_compiled_packages_and_whether_python_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path))  # an empty bytecode cache
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert bytecode_state() == {"installed_packages_compiled": False, "python_writes_bytecode": False}
    origin = find_spec("dagster").origin
    py_compile.compile(origin, cfile=cache_from_source(origin), doraise=True)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert bytecode_state() == {"installed_packages_compiled": True, "python_writes_bytecode": True}


@pytest.mark.parametrize("kind", ["PIPELINE_SUCCESS", "PIPELINE_CANCELED"])
def test_a_run_ends_at_its_end_event_not_at_a_later_log_line(kind):
    marks = [("PIPELINE_START", 0.0), ("STEP_START", 1.0), ("STEP_SUCCESS", 2.0), (kind, 2.5), (None, 4.0)]
    assert run_phases(marks, previous_end=0.0)["end"] == 2.5
