"""报告单: prefilled from the record, refused without a sign-in, edited where the rule allows,
signed off by the secretary of the branch that held the meeting."""

from __future__ import annotations

from datetime import date

import pytest

from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry, RuleValue
from dangqun.orglife import services
from dangqun.orglife.models import OrgLifeReport, ReportEvent

pytestmark = pytest.mark.django_db


def _attendance(world, activity):
    return services.start_attendance(actor=world.cadre_user, cadre=world.cadre, activity=activity)


def test_no_report_without_a_sign_in(world):
    meeting = world.own_meeting(attendees=[world.secretary])  # the cadre did not sign in
    attendance = _attendance(world, meeting)
    with pytest.raises(DomainError) as exc:
        services.create_report(actor=world.cadre_user, attendance=attendance)
    assert exc.value.code == "not_signed_in"
    assert exc.value.message == "签到记录中没有王建国在“2025年度组织生活会”的签到，不能填写报告单。"
    assert OrgLifeReport.objects.count() == 0
    assert not AuditEntry.objects.filter(action="orglife.report.created").exists()


def test_no_report_for_a_meeting_type_the_rule_does_not_name(world):
    meeting = world.own_meeting(type_code="theme_day", title="主题党日")
    with pytest.raises(DomainError) as exc:
        services.create_report(actor=world.cadre_user, attendance=_attendance(world, meeting))
    assert exc.value.code == "not_report_meeting"
    # The rule set may name more types: then the same meeting takes a report.
    RuleValue.objects.create(key="orglife.report.meeting_types", value=["org_life_meeting", "theme_day"],
                             effective_from=date(2000, 1, 1))  # fmt: skip
    report = services.create_report(actor=world.cadre_user, attendance=_attendance(world, meeting))
    assert report.meeting_type == "主题党日"


def test_report_is_prefilled_from_the_record_and_scan_log(world):
    meeting = world.own_meeting()
    attendance = _attendance(world, meeting)
    services.update_attendance(actor=world.cadre_user, attendance=attendance, outline_text="一、学习体会")
    report = services.create_report(actor=world.cadre_user, attendance=attendance)
    assert report.cadre_name == "王建国"
    assert report.post == "区委常委"
    assert report.branch_name == "世邦魏理仕物业昆明分公司党支部"
    assert report.meeting_title == "2025年度组织生活会" and report.meeting_type == "组织生活会"
    assert report.host_name == "杨志宇"
    assert (report.expected_total, report.present_total) == (3, 2)
    assert report.signed_in_at == meeting.starts_at
    assert report.sign_in_method == "纸质签到表补录"
    assert report.meeting_content == "学习党章，开展批评与自我批评。"
    assert report.speech_summary == "一、学习体会"
    # A second call returns the same report.
    assert services.create_report(actor=world.cadre_user, attendance=attendance).pk == report.pk


def test_facts_are_not_editable_unless_the_rule_opens_them(world):
    report = services.create_report(
        actor=world.cadre_user, attendance=_attendance(world, world.own_meeting())
    )
    with pytest.raises(DomainError) as exc:
        services.update_report(actor=world.cadre_user, report=report, host_name="别人")
    assert (exc.value.code, exc.value.field) == ("field_not_editable", "host_name")
    assert exc.value.message == "“主持人”取自会议记录，不能修改。"
    RuleValue.objects.create(key="orglife.report.editable_fields", value=["host_name", "speech_summary"],
                             effective_from=date(2000, 1, 1))  # fmt: skip
    report = services.update_report(actor=world.cadre_user, report=report, host_name="杨志宇同志")
    assert report.host_name == "杨志宇同志"
    with pytest.raises(DomainError) as exc:
        services.update_report(actor=world.cadre_user, report=report, post="改职务")
    assert exc.value.code == "field_not_editable"


def test_text_is_limited_and_named(world):
    report = services.create_report(
        actor=world.cadre_user, attendance=_attendance(world, world.own_meeting())
    )
    with pytest.raises(DomainError) as exc:
        services.update_report(actor=world.cadre_user, report=report, public_summary="很" * 301)
    assert (exc.value.code, exc.value.field) == ("too_long", "public_summary")
    assert exc.value.message == "公示摘要不能超过 300 个字（现有 301 个字）。"


def test_incomplete_report_lists_what_is_missing(world):
    world.contact_point()
    attendance = _attendance(world, world.contact_meeting())
    report = services.create_report(actor=world.cadre_user, attendance=attendance)
    with pytest.raises(DomainError) as exc:
        services.submit_report(actor=world.cadre_user, report=report)
    assert exc.value.message == "报告单不完整，请填写：个人发言及对照检查情况、指导联系点情况、公示摘要。"


def test_secretary_of_the_meeting_branch_signs_off(world):
    report = world.signed_report(world.own_meeting())
    assert report.status == "signed_off"
    assert report.signed_by == world.secretary_user and report.signed_by_name == "杨志宇"
    assert [(e.from_status, e.to_status) for e in ReportEvent.objects.filter(report=report)] == [
        ("draft", "submitted"), ("submitted", "signed_off"),
    ]  # fmt: skip
    actions = list(
        AuditEntry.objects.filter(action__startswith="orglife.report.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["orglife.report.created", "orglife.report.signed_off", "orglife.report.submitted",
                               "orglife.report.updated"]  # fmt: skip


def test_another_branchs_secretary_cannot_sign(world):
    report = services.create_report(
        actor=world.cadre_user, attendance=_attendance(world, world.own_meeting())
    )
    services.update_report(
        actor=world.cadre_user, report=report, speech_summary="发言", public_summary="摘要"
    )
    report = services.submit_report(actor=world.cadre_user, report=report)
    with pytest.raises(DomainError) as exc:
        services.sign_off_report(actor=world.contact_secretary_user, report=report)
    assert exc.value.status == 403


def test_nobody_signs_their_own_report(world, make_user):
    from dangqun.accounts.services import grant_role

    grant_role(actor=None, user=world.cadre_user, organization=world.tree.branch, role="secretary")
    report = services.create_report(
        actor=world.cadre_user, attendance=_attendance(world, world.own_meeting())
    )
    services.update_report(
        actor=world.cadre_user, report=report, speech_summary="发言", public_summary="摘要"
    )
    report = services.submit_report(actor=world.cadre_user, report=report)
    with pytest.raises(DomainError) as exc:
        services.sign_off_report(actor=world.cadre_user, report=report)
    assert exc.value.code == "cannot_sign_own"


def test_returned_report_is_edited_and_submitted_again(world):
    report = services.create_report(
        actor=world.cadre_user, attendance=_attendance(world, world.own_meeting())
    )
    services.update_report(
        actor=world.cadre_user, report=report, speech_summary="发言", public_summary="摘要"
    )
    report = services.submit_report(actor=world.cadre_user, report=report)
    with pytest.raises(DomainError) as exc:
        services.return_report(actor=world.secretary_user, report=report, comment="")
    assert exc.value.field == "comment"
    report = services.return_report(actor=world.secretary_user, report=report, comment="请补充整改措施。")
    report = services.update_report(actor=world.cadre_user, report=report, rectification="一、…")
    report = services.submit_report(actor=world.cadre_user, report=report)
    assert report.status == "submitted"
    with pytest.raises(DomainError) as exc:
        services.update_report(actor=world.cadre_user, report=report, rectification="再改")
    assert exc.value.code == "report_not_editable"
