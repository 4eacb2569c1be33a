"""Periodic jobs of the service desk (dangqun.core.jobs): thin, `now` in, idempotent."""

from __future__ import annotations

from datetime import datetime, timedelta

from dangqun.core import jobs
from dangqun.servicedesk.services_followup import escalate_overdue


@jobs.register(
    "servicedesk.escalate_overdue",
    every=timedelta(minutes=15),
    description="超过承诺办结时间的诉求上报上级组织督办",
)
def escalate_overdue_job(now: datetime) -> int:
    return escalate_overdue(now)
