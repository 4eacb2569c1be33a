"""The periodic jobs with a frozen `now`: filing reminders (deduplicated) and the registry."""

from __future__ import annotations

from datetime import timedelta

import pytest

from dangqun.core import jobs as core_jobs
from dangqun.news.models import Notice, NoticeReceipt
from dangqun.orglife import jobs, services
from dangqun.orglife.tests.factories import local

pytestmark = pytest.mark.django_db


def test_jobs_are_registered():
    registered = core_jobs.registered()
    assert registered["orglife.take_down_notices"].every == timedelta(minutes=10)
    assert registered["orglife.filing_reminders"].every == timedelta(hours=24)


def test_reminder_before_the_deadline_once(world):
    due = world.quarter.last_day + timedelta(days=15)
    assert jobs.filing_reminders(local(due - timedelta(days=6))) == 0  # too early
    assert jobs.filing_reminders(local(due - timedelta(days=2))) == 1
    assert jobs.filing_reminders(local(due - timedelta(days=1))) == 0  # same key: nothing new
    notice = Notice.objects.get()
    assert notice.title == f"请在 {due.isoformat()} 前完成{world.quarter.label}领导干部组织生活报备"
    assert notice.organization == world.tree.community
    assert notice.link == f"/orglife/filings/new/?year={world.quarter.year}&quarter={world.quarter.number}"
    assert list(NoticeReceipt.objects.values_list("recipient", flat=True)) == [world.cadre_user.pk]


def test_overdue_reminder_once_and_none_after_filing(world):
    due = world.quarter.last_day + timedelta(days=15)
    assert jobs.filing_reminders(local(due + timedelta(days=3))) == 1
    assert jobs.filing_reminders(local(due + timedelta(days=4))) == 0
    assert Notice.objects.get().title == f"{world.quarter.label}领导干部组织生活报备已逾期"


def test_no_reminder_once_filed(world):
    services.submit_filing(actor=world.cadre_user, cadre=world.cadre, quarter=world.quarter, note="无",
                           now=world.filing_time)  # fmt: skip
    due = world.quarter.last_day + timedelta(days=15)
    assert jobs.filing_reminders(local(due - timedelta(days=2))) == 0
    assert Notice.objects.count() == 0
