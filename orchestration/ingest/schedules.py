"""Schedules: the newest listing every day, plus a re-fetch of the trailing days for vote history."""

from datetime import timedelta

import dagster as dg

from orchestration.ingest.jobs import daily_papers_job

TRAILING_DAYS = 14  # upvotes keep moving for about two weeks after a listing


@dg.schedule(
    job=daily_papers_job,
    cron_schedule="0 23 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
def daily_refresh(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Fetch today's listing and re-fetch the previous 14 days, in one ranged run.

    Each re-fetch adds one vote observation per paper, which is what velocity and "rising"
    rankings are computed from.
    """
    today = context.scheduled_execution_time.date()
    start = today - timedelta(days=TRAILING_DAYS)
    return dg.RunRequest(
        run_key=f"daily-{today.isoformat()}",
        tags={
            "dagster/asset_partition_range_start": start.isoformat(),
            "dagster/asset_partition_range_end": today.isoformat(),
        },
    )
