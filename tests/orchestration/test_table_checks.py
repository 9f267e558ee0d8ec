"""The table checks a load run reports: the uniqueness checks count the rows of the loaded days' papers."""

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


def _check(warehouse: HandMadeWarehouse, name: str, days: list[date]):
    [result] = [r for r in table_check_results(warehouse.con, days) if r.check_name == name]
    return result


def _warehouse_with_a_paper_on_both_days(votes_twice: bool) -> HandMadeWarehouse:
    # 2503.00001 on the old day and again on the loaded day (a move gone wrong), or once with the
    # same vote observation stored twice
    warehouse = HandMadeWarehouse()
    observed = {"paper_id": "2503.00001", "observed_at": "2025-03-04 08:00:00", "upvotes": 1, "listing_date": LOADED_DAY}
    if votes_twice:
        warehouse.insert("papers", [paper("2503.00001", LOADED_DAY)])
        warehouse.insert("votes", [observed, observed])
    else:
        warehouse.insert("papers", [paper("2503.00001", OLD_DAY), paper("2503.00001", LOADED_DAY)])
        warehouse.insert("votes", [observed])
    return warehouse


def test_a_loaded_paper_also_on_another_day_fails_unique_paper_ids_and_unloaded_days_are_not_read():
    warehouse = _warehouse_with_a_paper_on_both_days(votes_twice=False)
    result = _check(warehouse, "unique_paper_ids", [LOADED_DAY])
    assert not result.passed and result.metadata["offending_rows"].value == 1
    warehouse.con.execute("DELETE FROM papers WHERE listing_date = ?", [LOADED_DAY])
    warehouse.insert("papers", [paper("2503.00001", date(2025, 3, 2)), paper("2503.00002", LOADED_DAY)])
    # the duplicate is now on two days the run did not load
    assert _check(warehouse, "unique_paper_ids", [LOADED_DAY]).passed
    assert not _check(warehouse, "unique_paper_ids", [OLD_DAY]).passed


def test_a_vote_observation_of_a_loaded_paper_stored_twice_fails_the_check():
    warehouse = _warehouse_with_a_paper_on_both_days(votes_twice=True)
    assert not _check(warehouse, "one_observation_per_paper_per_fetch", [LOADED_DAY]).passed
    assert _check(warehouse, "one_observation_per_paper_per_fetch", [OLD_DAY]).passed
