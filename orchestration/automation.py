"""The automation condition the search and digest sensors share: "a dependency was updated
after this asset was last requested", with the two events ordered by their times.

eager() and since_last_handled() reset on `newly_requested | newly_updated | initial_evaluation`
and trigger on `any_deps_updated`, both ORs. An OR drops the event times that SINCE uses to order
a trigger and a reset seen in the same evaluation, so a load that landed after the sensor had
requested a run, but before the sensor's next evaluation, counted as handled by that request,
although the run may have read the warehouse before that load. Its papers then stayed out of the
search (or its day out of the week's digest) until the next load. Here the trigger and the reset
are single conditions, which carry their times (Dagster 1.13), so such a load wins and gets a run
of its own. tests/orchestration/test_search_tables_asset.py and test_weekly_digest_asset.py
reproduce the race.
"""

import dagster as dg


def deps_updated_since_requested() -> dg.AutomationCondition:
    """True for a partition from a newer update of any of its dependencies' partitions until
    the next request of it. A manual run does not reset it: at worst the sensor asks once more,
    and both assets are cheap when nothing changed."""
    return (
        dg.AutomationCondition.any_deps_match(dg.AutomationCondition.newly_updated())
        .since(dg.AutomationCondition.newly_requested())
        .with_label("deps_updated_since_requested")
    )
