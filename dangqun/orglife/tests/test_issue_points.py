"""Points of issue 4 that the other test modules left to the calendar or only touched: the
department's lights on fixed dates (grey, amber, red; green and amber-late once filed), the notice
period as a rule, the review's audit trail, the staff archive of a notice taken down, and the entry
page of a secretary who is a cadre too."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from dangqun.accounts.services import grant_role
from dangqun.core.models import AuditEntry, RuleValue
from dangqun.orglife import jobs, services
from dangqun.orglife.enums import Light
from dangqun.orglife.models import PublicNotice
from dangqun.orglife.quarters import Quarter
from dangqun.orglife.selectors.overview import deadlines
from dangqun.orglife.tests.factories import held_meeting, make_member
from dangqun.testing.factories import make_user

pytestmark = pytest.mark.django_db


def _filed(world, *, now=None):
    world.signed_report(world.own_meeting())
    return services.submit_filing(
        actor=world.cadre_user, cadre=world.cadre, quarter=world.quarter, now=now or world.filing_time
    )


def test_lights_follow_the_deadline_and_the_grace_period(world):
    quarter = Quarter(2026, 1)  # ends 2026-03-31; due 15 days later; red 15 days after that
    limits = deadlines(quarter, world.tree.district, date(2026, 4, 1))
    assert (limits.due_on, limits.red_after) == (date(2026, 4, 15), date(2026, 4, 30))
    assert limits.light(None, date(2026, 4, 15)) == Light.GREY
    assert limits.light(None, date(2026, 4, 16)) == Light.AMBER
    assert limits.light(None, date(2026, 4, 30)) == Light.AMBER
    assert limits.light(None, date(2026, 5, 1)) == Light.RED
    filing = _filed(world)
    assert limits.light(filing, date(2026, 5, 1)) == Light.GREEN
    filing.late = True
    assert limits.light(filing, date(2026, 5, 1)) == Light.AMBER
    filing.status = "returned"  # a returned filing counts as not filed
    assert limits.light(filing, date(2026, 5, 1)) == Light.RED
    # Deadline and grace are rules.
    RuleValue.objects.create(key="orglife.filing.grace_days", value=5, effective_from=date(2000, 1, 1))
    assert deadlines(quarter, world.tree.district, date(2026, 4, 1)).red_after == date(2026, 4, 20)


def test_notice_period_is_a_rule(world):
    RuleValue.objects.create(key="orglife.notice.days", value=10, effective_from=date(2000, 1, 1))
    services.review_filing(actor=world.committee_user, filing=_filed(world), accept=True)
    notice = PublicNotice.objects.get()
    assert notice.ends_at - notice.starts_at == timedelta(days=10)
    assert jobs.take_down_notices(notice.starts_at + timedelta(days=7)) == 0
    assert jobs.take_down_notices(notice.ends_at) == 1


def test_review_is_audited_with_its_comment(world):
    filing = _filed(world)
    services.review_filing(
        actor=world.committee_user, filing=filing, accept=False, comment="整改措施不具体。"
    )
    returned = AuditEntry.objects.get(action="orglife.filing.returned")
    assert returned.actor == world.committee_user and "整改措施不具体。" in str(returned.data)
    filing = services.resubmit_filing(actor=world.cadre_user, filing=filing, now=world.filing_time)
    services.review_filing(actor=world.committee_user, filing=filing, accept=True)
    assert (
        AuditEntry.objects.filter(action="orglife.filing.accepted", actor=world.committee_user).count() == 1
    )
    assert AuditEntry.objects.filter(action="orglife.notice.posted").count() == 1


def test_notice_taken_down_stays_in_the_staff_archive(client, world):
    services.review_filing(actor=world.committee_user, filing=_filed(world), accept=True)
    notice = PublicNotice.objects.get()
    jobs.take_down_notices(notice.ends_at)
    client.force_login(world.department_user)
    archive = client.get(reverse("orglife:notices") + "?show=all").content.decode()
    assert "王建国" in archive and "已撤下" in archive
    detail = client.get(reverse("orglife:notice", args=[notice.pk]))
    assert detail.status_code == 200 and 'id="notice-state">已撤下' in detail.content.decode()
    assert client.get(reverse("orglife:public", args=[notice.token])).status_code == 410


def test_a_secretary_who_is_a_cadre_lands_on_the_reports_to_sign(client, world):
    grant_role(actor=None, user=world.cadre_user, organization=world.tree.other_branch, role="secretary")
    client.force_login(world.cadre_user)
    assert client.get(reverse("orglife:home")).url == reverse("orglife:me")
    # A cadre of that branch submits the report of its meeting: it waits for his signature.
    other_user = make_user("chenli")
    other = make_member(world.tree.other_branch, "陈立", cadre_level="township", user=other_user)
    meeting = held_meeting(world.tree.other_branch, starts=world.meeting_time(), attendees=[other])
    attendance = services.start_attendance(actor=other_user, cadre=other, activity=meeting)
    services.update_attendance(actor=other_user, attendance=attendance, outline_text="一、学习体会")
    report = services.create_report(actor=other_user, attendance=attendance)
    report = services.update_report(actor=other_user, report=report, speech_summary="作对照检查发言。")
    services.submit_report(actor=other_user, report=report)
    assert client.get(reverse("orglife:home")).url == reverse("orglife:signoff")
