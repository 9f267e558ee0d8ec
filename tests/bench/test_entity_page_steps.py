"""bench/entity_page_steps.py: each data call of an entity page timed apart, with the rows its
table scans read."""

from __future__ import annotations

from bench.entity_page_steps import main
from tests.dashboard.seed import seed_warehouse


def test_each_kind_gets_every_step_timed_with_the_scans_it_ran(tmp_path):
    out = main(seed_warehouse(tmp_path / "warehouse.duckdb"), repeats=2)
    assert set(out) == {"authors", "organizations", "submitters"}
    for kind, entity in out.items():
        steps = entity["steps"]
        assert list(steps) == ["profile", "keys", "figures", "months", "papers_page", "people_page", "related"], kind
        for name, step in steps.items():
            assert 0 < step["p50_ms"] <= step["p95_ms"], (kind, name)
            assert step["cpu_p95_ms"] >= 0
        # the keys are one scan of the table the entity's papers are found in; figures come from them, without SQL
        read = {scan["table"].rsplit(".", 1)[-1] for scan in steps["keys"]["scans"]}
        assert ("author_papers" in read) == (kind == "authors") and "papers" in read, (kind, read)
        assert steps["figures"]["scans"] == []
