"""Periodic jobs of the activities app (dangqun.core.jobs): thin, idempotent, take `now`."""

from __future__ import annotations

from datetime import datetime, timedelta

from dangqun.core import jobs


@jobs.register("activities.finish_ended", every=timedelta(minutes=15), description="结束已过结束时间的活动")
def finish_ended(now: datetime) -> int:
    from dangqun.activities.services.activities import finish_ended_activities

    return finish_ended_activities(now=now)


@jobs.register("activities.compliance_reminders", every=timedelta(hours=24), description="三会一课到期提醒")
def compliance_reminders(now: datetime) -> int:
    from dangqun.activities.services.reminders import send_due_reminders

    return send_due_reminders(now=now)
