"""Demo notices: 大观街道党工委 (朱晓荣) writes to the secretaries of 顺城社区 and of the 世邦魏理仕 branch.

Through the services with actor None (sender shown: zhuxiaorong); each notice has a fixed dedupe key,
so a second run writes nothing. 阮玉华 has already confirmed the reminder; 杨志宇 has not, so the
sender's progress page has someone to remind.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.utils import timezone

from dangqun.news.enums import NoticeCategory
from dangqun.news.models import Notice, NoticeReceipt
from dangqun.news.services import confirm, send_notice

REMINDER_KEY = "demo:news:sanhui-yike-quarter"
NOTICE_KEY = "demo:news:theme-day-venue"


def _quarter_end(today: date) -> date:
    """The last day of today's quarter (the reminder's due date; the journey needs "this quarter")."""
    month = (today.month - 1) // 3 * 3 + 3
    return date(today.year, month, calendar.monthrange(today.year, month)[1])


SPECS = [
    {
        "dedupe_key": REMINDER_KEY,
        "category": NoticeCategory.REMINDER,
        "title": "请按时完成本季度“三会一课”记录报送",
        "body": (
            "各支部书记：\n"
            "本季度即将结束，请对照“三会一课”要求，检查支部党员大会、支委会、党小组会和党课的开展情况，"
            "并在系统中上传会议记录、签到表和照片。\n"
            "尚未召开的会议请尽快安排；确有困难的，请与街道党工委联系。\n"
            "收到后请点击“确认已读”。"
        ),
        "requires_confirmation": True,
        "due": "quarter_end",
    },
    {
        "dedupe_key": NOTICE_KEY,
        "category": NoticeCategory.NOTICE,
        "title": "“金领”党群服务中心本月主题党日场地安排",
        "body": (
            "各支部：\n"
            "本月主题党日活动可预约招银大厦“金领”党群服务中心党建图书馆，"
            "同一时段可供两个支部合用。请提前在系统中预约场地。"
        ),
        "requires_confirmation": False,
        "due": None,
    },
]


def load(result) -> int:
    users = result.accounts.users
    street = result.orgs["daguan"]
    sender = users["zhuxiaorong"]
    recipients = [users["yangzhiyu"], users["ruanyuhua"]]
    today = timezone.localdate()
    created = 0
    for spec in SPECS:
        if Notice.objects.filter(dedupe_key=spec["dedupe_key"]).exists():
            continue
        send_notice(
            actor=None,
            sender=sender,
            organization=street,
            title=spec["title"],
            body=spec["body"],
            recipients=recipients,
            requires_confirmation=spec["requires_confirmation"],
            category=spec["category"],
            due_date=_quarter_end(today) if spec["due"] == "quarter_end" else None,
            dedupe_key=spec["dedupe_key"],
        )
        created += 1 + len(recipients)
    reminder = Notice.objects.get(dedupe_key=REMINDER_KEY)
    ruanyuhua = users["ruanyuhua"]
    if NoticeReceipt.objects.filter(notice=reminder, recipient=ruanyuhua, confirmed_at__isnull=True).exists():
        confirm(user=ruanyuhua, notice=reminder)
        created += 1
    return created
