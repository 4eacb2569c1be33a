"""The demo notices: 大观街道党工委 (朱晓荣) → the secretaries of 顺城社区; idempotent."""

from __future__ import annotations

from datetime import date

import pytest

from dangqun.core.models import AuditEntry
from dangqun.demo.loader import load_demo
from dangqun.news import demo
from dangqun.news.models import Notice, NoticeReceipt
from dangqun.news.selectors import receipt_summary

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int]:
    return (
        Notice.objects.count(),
        NoticeReceipt.objects.count(),
        AuditEntry.objects.filter(action__startswith="news.").count(),
    )


def test_demo_notices_are_built_once():
    result = load_demo(small=True)  # may already include the notices once the loader lists them
    demo.load(result)
    before = counts()
    assert demo.load(result) == 0
    assert counts() == before == (2, 4, 3)

    reminder = Notice.objects.get(dedupe_key=demo.REMINDER_KEY)
    assert (reminder.organization.name, reminder.sender.username) == ("大观街道党工委", "zhuxiaorong")
    assert reminder.requires_confirmation and reminder.due_date is not None
    summary = receipt_summary(reminder)
    assert (summary.delivered, summary.confirmed) == (2, 1)
    assert [row.receipt.recipient.username for row in summary.pending] == ["yangzhiyu"]
    assert [row.receipt.recipient.username for row in summary.done] == ["ruanyuhua"]
    plain = Notice.objects.get(dedupe_key=demo.NOTICE_KEY)
    assert not plain.requires_confirmation
    assert sorted(plain.receipts.values_list("recipient__username", flat=True)) == ["ruanyuhua", "yangzhiyu"]


def test_the_reminder_is_due_at_the_end_of_the_quarter():
    cases = {
        date(2026, 2, 10): date(2026, 3, 31),
        date(2026, 5, 31): date(2026, 6, 30),
        date(2026, 12, 1): date(2026, 12, 31),
    }
    assert {day: demo._quarter_end(day) for day in cases} == cases
