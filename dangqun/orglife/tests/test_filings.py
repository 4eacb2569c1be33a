"""Quarterly filing: one per cadre and quarter, to the committee (copied to the 区委组织部 for 区级领导);
accept or return; accepted filings are locked and post the 区级领导's reports."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction

from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry, RuleValue
from dangqun.orglife import services
from dangqun.orglife.models import Attendance, FilingEvent, OrgLifeReport, PublicNotice, QuarterlyFiling
from dangqun.orglife.tests.factories import local

pytestmark = pytest.mark.django_db


def _file(world, **kwargs):
    kwargs.setdefault("now", world.filing_time)
    return services.submit_filing(actor=world.cadre_user, cadre=world.cadre, quarter=world.quarter, **kwargs)


def _full_quarter(world):
    world.contact_point()
    own = world.signed_report(world.own_meeting())
    contact = world.signed_report(world.contact_meeting())
    return own, contact


def test_quarter_is_filed_once_with_committee_and_copied_to_the_department(world):
    own, contact = _full_quarter(world)
    filing = _file(world)
    assert (filing.committee, filing.copy_to) == (world.tree.community, world.department)
    assert filing.is_district_leader and not filing.late
    assert filing.due_on == world.quarter.last_day + timedelta(days=15)
    assert set(filing.reports.values_list("pk", flat=True)) == {own.pk, contact.pk}
    assert filing.attendances.count() == 2
    assert [r["title"] for r in filing.contents["reports"]] == ["2025年度组织生活会", "2025年度组织生活会"]
    assert AuditEntry.objects.get(action="orglife.filing.submitted").data["copy_to"] == "五华区委组织部"


def test_filing_twice_is_refused_and_writes_nothing(world):
    _full_quarter(world)
    _file(world)
    audits = AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        _file(world)
    assert (exc.value.code, exc.value.status) == ("already_filed", 409)
    assert exc.value.message.startswith(
        f"{world.quarter.year} 年第 {world.quarter.number} 季度已经报备（已报备待审核）"
    )
    assert QuarterlyFiling.objects.count() == 1 and FilingEvent.objects.count() == 1
    assert AuditEntry.objects.count() == audits


def test_the_database_refuses_a_second_filing_too(world):
    filing = _file(world, note="本季度出差，未参加组织生活。")
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        QuarterlyFiling.objects.create(
            cadre=world.cadre, year=filing.year, quarter=filing.quarter, org_path=filing.org_path,
            committee=filing.committee, committee_path=filing.committee_path, cadre_name="x",
            due_on=filing.due_on, first_submitted_at=filing.submitted_at, submitted_at=filing.submitted_at,
        )  # fmt: skip


def test_township_cadre_is_not_copied_to_the_department(world, make_user):
    user = make_user("township")
    from dangqun.people.services import link_user

    link_user(actor=None, person=world.township, user=user)
    filing = services.submit_filing(actor=user, cadre=world.township, quarter=world.quarter,
                                    note="本季度无组织生活会。", now=world.filing_time)  # fmt: skip
    assert (filing.copy_to, filing.copy_path, filing.is_district_leader) == (None, "", False)


def test_unsigned_report_blocks_the_filing(world):
    meeting = world.own_meeting()
    attendance = services.start_attendance(actor=world.cadre_user, cadre=world.cadre, activity=meeting)
    services.create_report(actor=world.cadre_user, attendance=attendance)
    with pytest.raises(DomainError) as exc:
        _file(world)
    assert exc.value.code == "reports_not_ready"
    assert "2025年度组织生活会" in exc.value.message
    assert QuarterlyFiling.objects.count() == 0
    assert Attendance.objects.filter(filing__isnull=False).count() == 0


def test_attended_meeting_without_record_gets_its_jishi_at_filing(world):
    world.own_meeting(type_code="theme_day", title="主题党日：学习党章")
    filing = _file(world)
    attendance = filing.attendances.get()
    assert attendance.activity.title == "主题党日：学习党章" and not attendance.has_outline


def test_filing_window_and_empty_quarter(world):
    with pytest.raises(DomainError) as exc:
        _file(world, now=local(world.quarter.last_day - timedelta(days=20)))
    assert exc.value.code == "filing_not_open"
    with pytest.raises(DomainError) as exc:
        _file(world)
    assert (exc.value.code, exc.value.field) == ("note_required", "note")


def test_late_filing_is_marked(world):
    filing = _file(world, note="无", now=local(world.quarter.last_day + timedelta(days=16)))
    assert filing.late


def test_accepting_locks_everything_and_posts_the_leaders_reports(world):
    own, contact = _full_quarter(world)
    filing = _file(world)
    with pytest.raises(DomainError) as exc:
        services.review_filing(actor=world.far_user, filing=filing, accept=True)
    assert exc.value.status == 403
    filing = services.review_filing(
        actor=world.committee_user, filing=filing, accept=True, now=world.filing_time
    )
    assert filing.status == "accepted" and filing.accepted_at == world.filing_time
    notices = PublicNotice.objects.order_by("meeting_on")
    assert [(n.cadre_name, n.branch_name) for n in notices] == [
        ("王建国", "世邦魏理仕物业昆明分公司党支部")
    ] * 2
    assert notices[0].ends_at - notices[0].starts_at == timedelta(days=7)
    assert notices[0].queue_path == world.department.path
    assert notices[0].supervision_phone == "12380"
    # Edits after acceptance: refused, for the report, the 纪实 and the filing.
    for call in (
        lambda: services.update_report(actor=world.cadre_user, report=own, rectification="改"),
        lambda: services.reopen_report(actor=world.cadre_user, report=own),
        lambda: services.update_attendance(
            actor=world.cadre_user, attendance=own.attendance, outline_text="改"
        ),
        lambda: services.review_filing(
            actor=world.committee_user, filing=filing, accept=False, comment="再看看"
        ),
        lambda: services.resubmit_filing(actor=world.cadre_user, filing=filing),
    ):
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.status == 409
    with pytest.raises(DomainError) as exc:
        services.update_report(actor=world.cadre_user, report=own, rectification="改")
    assert exc.value.code == "filing_accepted"
    assert exc.value.message == "报告单所在的季度报备已审核通过并锁定，不能再修改。"
    assert OrgLifeReport.objects.get(pk=own.pk).rectification == ""


def test_township_reports_are_not_posted(world):
    RuleValue.objects.create(key="orglife.district_leader_levels", value=[], effective_from=date(2000, 1, 1))
    RuleValue.objects.create(
        key="orglife.notice.cadre_levels", value=["township"], effective_from=date(2000, 1, 1)
    )
    world.signed_report(world.own_meeting())
    filing = services.review_filing(actor=world.committee_user, filing=_file(world), accept=True)
    assert filing.copy_to is None
    assert PublicNotice.objects.count() == 0


def test_returned_filing_is_corrected_and_filed_again(world):
    own, _contact = _full_quarter(world)
    filing = _file(world)
    with pytest.raises(DomainError) as exc:
        services.review_filing(actor=world.committee_user, filing=filing, accept=False)
    assert exc.value.field == "comment"
    filing = services.review_filing(
        actor=world.committee_user, filing=filing, accept=False, comment="整改措施不具体。"
    )
    own = services.reopen_report(actor=world.cadre_user, report=own)
    assert own.signed_at is None
    with pytest.raises(DomainError) as exc:
        services.resubmit_filing(actor=world.cadre_user, filing=filing, now=world.filing_time)
    assert exc.value.code == "reports_not_ready"
    own = services.update_report(actor=world.cadre_user, report=own, rectification="一、每月讲党课。")
    own = services.submit_report(actor=world.cadre_user, report=own)
    services.sign_off_report(actor=world.secretary_user, report=own)
    filing = services.resubmit_filing(actor=world.cadre_user, filing=filing, now=world.filing_time)
    assert filing.status == "submitted"
    assert list(FilingEvent.objects.filter(filing=filing).order_by("id").values_list("from_status", "to_status")) == [
        ("", "submitted"), ("submitted", "returned"), ("returned", "submitted"),
    ]  # fmt: skip
    assert filing.reports.count() == 2


def test_reviewer_cannot_review_own_filing(world):
    from dangqun.accounts.services import grant_role

    grant_role(actor=None, user=world.cadre_user, organization=world.tree.community, role="secretary")
    filing = _file(world, note="无")
    with pytest.raises(DomainError) as exc:
        services.review_filing(actor=world.cadre_user, filing=filing, accept=True)
    assert exc.value.code == "cannot_review_own"
