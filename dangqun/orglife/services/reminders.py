"""Filing reminders (a job): before the deadline to cadres who have not filed, and once after it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangqun.core import rules
from dangqun.core.errors import DomainError
from dangqun.news.enums import NoticeCategory
from dangqun.news.models import Notice
from dangqun.news.services import send_notice
from dangqun.orglife import rules as keys
from dangqun.orglife import structure
from dangqun.orglife.enums import FilingStatus
from dangqun.orglife.models import QuarterlyFiling
from dangqun.orglife.quarters import Quarter
from dangqun.people.models import Person


def _cadres(today: date) -> list[Person]:
    """Leading cadres with a login (a reminder needs a recipient), by the rule in force today."""
    levels = set(rules.value(keys.CADRE_LEVELS, on=today) or [])
    people = (
        Person.objects.filter(party_profile__cadre_level__in=levels, user__isnull=False, user__is_active=True)
        .select_related("organization", "organization__kind", "party_profile")
        .order_by("org_path", "id")
    )
    return [person for person in people if structure.is_cadre(person, today)]


def _due(quarter: Quarter, person: Person, today: date) -> date:
    return quarter.due_on(int(rules.value(keys.FILING_DUE_DAYS, on=today, org_path=person.org_path)))


def send_filing_reminders(*, now: datetime) -> int:
    """Remind each cadre without a filing (or with a returned one) for the quarter whose deadline is
    near (within `orglife.filing.remind_days_before_due`), and once when it has passed. The dedupe
    key makes a second run the same day, or the next day, send nothing new."""
    today = timezone.localdate(now)
    current = Quarter.of(today)
    sent = 0
    committees: dict[str, object] = {}
    for person in _cadres(today):
        for quarter in (current.previous(), current):
            due = _due(quarter, person, today)
            remind = int(rules.value(keys.FILING_REMIND_DAYS, on=today, org_path=person.org_path))
            if due - timedelta(days=remind) <= today <= due:
                kind = "before"
            elif quarter == current.previous() and today > due:
                kind = "overdue"
            else:
                continue
            filed = QuarterlyFiling.objects.filter(
                Q(cadre=person, year=quarter.year, quarter=quarter.number) & ~Q(status=FilingStatus.RETURNED)
            ).exists()
            if filed:
                continue
            branch_path = person.org_path
            committee = committees.get(branch_path)
            if committee is None:
                committee = structure.committee_of(structure.own_branch(person), today)
                committees[branch_path] = committee
            if committee is None:
                continue
            if kind == "before":
                title = _("请在 %(d)s 前完成%(q)s领导干部组织生活报备") % {
                    "d": due.isoformat(),
                    "q": quarter.label,
                }
            else:
                title = _("%(q)s领导干部组织生活报备已逾期") % {"q": quarter.label}
            body = _(
                "%(n)s同志：\n请将%(q)s参加组织生活的报告单和“组织生活纪实”报备%(c)s。截止日期：%(d)s。"
            ) % {"n": person.name, "q": quarter.label, "c": committee.name, "d": due.isoformat()}
            key = f"orglife:filing:{kind}:{quarter.code}:{person.pk}"
            if Notice.objects.filter(dedupe_key=key).exists():
                continue
            try:
                send_notice(
                    actor=None,
                    organization=committee,
                    title=title,
                    body=body,
                    recipients=[person.user_id],
                    requires_confirmation=False,
                    category=NoticeCategory.REMINDER,
                    link=f"{reverse('orglife:filing-new')}?year={quarter.year}&quarter={quarter.number}",
                    due_date=due if due >= timezone.localdate() else None,
                    dedupe_key=key,
                )
            except DomainError:
                continue
            sent += 1
    return sent
