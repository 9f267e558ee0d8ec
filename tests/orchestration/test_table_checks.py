"""The table checks a load run reports: the author slots are checked among the loaded days' papers."""

from __future__ import annotations

from datetime import date

from orchestration.ingest.table_checks import table_check_results
from tests.warehouse.conftest import HandMadeWarehouse, paper

OLD_DAY, LOADED_DAY = date(2025, 3, 3), date(2025, 3, 4)


def _slots_check(warehouse: HandMadeWarehouse, days: list[date]):
    [result] = [r for r in table_check_results(warehouse.con, days) if r.check_name == "unique_author_slots"]
    return result


def _warehouse_with_a_duplicate_slot_on(day: date) -> HandMadeWarehouse:
    warehouse = HandMadeWarehouse()
    warehouse.insert("papers", [paper("2503.00001", OLD_DAY), paper("2503.00002", LOADED_DAY)])
    warehouse.insert("authors", [{"author_id": "a1", "name": "A One", "identity_key": "name:a one"}])
    slots = [
        {"paper_id": p, "position": 0, "author_id": "a1", "name_as_listed": "A One", "listing_date": d}
        for p, d in [("2503.00001", OLD_DAY), ("2503.00002", LOADED_DAY)]
    ]
    paper_id = "2503.00001" if day == OLD_DAY else "2503.00002"
    warehouse.insert(
        "paper_authors",
        [*slots, {"paper_id": paper_id, "position": 0, "author_id": "a1", "name_as_listed": "A One", "listing_date": day}],
    )
    return warehouse


def test_a_duplicate_slot_among_the_loaded_papers_fails_the_check():
    result = _slots_check(_warehouse_with_a_duplicate_slot_on(LOADED_DAY), [LOADED_DAY])
    assert not result.passed
    assert result.metadata["offending_rows"].value == 1


def test_a_slot_repeated_on_another_day_of_a_loaded_paper_fails_the_check():
    # the loaded paper's slot also left behind on an old day (a move gone wrong)
    warehouse = _warehouse_with_a_duplicate_slot_on(LOADED_DAY)
    warehouse.con.execute(
        "UPDATE paper_authors SET listing_date = ? WHERE rowid = (SELECT max(rowid) FROM paper_authors)", [OLD_DAY]
    )
    assert not _slots_check(warehouse, [LOADED_DAY]).passed


def test_slots_of_days_the_run_did_not_load_are_not_read():
    assert _slots_check(_warehouse_with_a_duplicate_slot_on(OLD_DAY), [LOADED_DAY]).passed
    assert not _slots_check(_warehouse_with_a_duplicate_slot_on(OLD_DAY), [OLD_DAY]).passed
