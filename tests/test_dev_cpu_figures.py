"""dev.py's CPU figures for the suite line ("suite wall time: ... s of CPU, ... s machine-wide")."""

from __future__ import annotations

import importlib.util
import sys
import time

import pytest

from papers_settings import REPO_ROOT


def load_dev():
    spec = importlib.util.spec_from_file_location("dev_script", REPO_ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/stat is Linux's")
def test_the_machine_wide_figure_counts_cpu_this_process_burns():
    dev = load_dev()
    before, cpu_before = dev._machine_cpu_s(), time.process_time()
    while time.process_time() - cpu_before < 0.5:
        sum(range(10_000))
    burned = time.process_time() - cpu_before
    # Other processes can only add to the machine's figure; its clock ticks are 10 ms apart.
    assert dev._machine_cpu_s() - before >= burned - 0.05


def test_the_machine_wide_figure_is_none_without_proc_stat(monkeypatch):
    dev = load_dev()

    def missing(self):
        raise FileNotFoundError(self)

    monkeypatch.setattr(dev.Path, "read_text", missing)
    assert dev._machine_cpu_s() is None
