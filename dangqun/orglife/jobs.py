"""Periodic jobs of the orglife app (dangqun.core.jobs): thin, idempotent, take `now`."""

from __future__ import annotations

from datetime import datetime, timedelta

from dangqun.core import jobs


@jobs.register("orglife.take_down_notices", every=timedelta(minutes=10), description="公示期满自动撤下")
def take_down_notices(now: datetime) -> int:
    from dangqun.orglife.services.notices import take_down_expired

    return take_down_expired(now=now)


@jobs.register("orglife.filing_reminders", every=timedelta(hours=24), description="领导干部季度报备提醒")
def filing_reminders(now: datetime) -> int:
    from dangqun.orglife.services.reminders import send_filing_reminders

    return send_filing_reminders(now=now)
