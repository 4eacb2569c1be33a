"""Review of issue 4: no new material in a filed quarter (unless the filing was returned), no phone or
ID number in the public summary, over-long comments refused (not dropped), the 纪实's missing pieces,
the overview's returned count, the audit trail and the export's 汇总 sheet."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dangqun.core.errors import DomainError
from dangqun.core.models import AuditEntry
from dangqun.orglife import collect, documents, services
from dangqun.orglife.models import Attendance, OrgLifeReport, PublicNotice, QuarterlyFiling
from dangqun.orglife.services.reports import personal_numbers
from dangqun.orglife.tests.factories import local

pytestmark = pytest.mark.django_db


def _filed(world, *, accept: bool | None = None):
    """The quarter filed early in the window (five days before its end) with one signed report;
    then accepted (True), returned (False) or left awaiting review (None)."""
    quarter = world.quarter
    world.signed_report(world.own_meeting())
    filing = services.submit_filing(actor=world.cadre_user, cadre=world.cadre, quarter=quarter,
                                    now=local(quarter.last_day - timedelta(days=5), 10))  # fmt: skip
    if accept is not None:
        filing = services.review_filing(actor=world.committee_user, filing=filing, accept=accept,
                                        comment="" if accept else "请补充。",
                                        now=local(quarter.last_day - timedelta(days=4), 10))  # fmt: skip
    return filing


def _late_meeting(world):
    """A 组织生活会 of the same quarter, held (and signed in at) after the early filing."""
    quarter = world.quarter
    return world.own_meeting(offset=(quarter.last_day - quarter.first_day).days - 1, title="季度末组织生活会")


# --- 1. new 纪实 / 报告单 in a filed quarter ---------------------------------------------------------


def test_accepted_quarter_refuses_a_new_attendance_and_shows_the_meeting_missing(world, client):
    _filed(world, accept=True)
    late = _late_meeting(world)
    with pytest.raises(DomainError) as exc:
        services.start_attendance(actor=world.cadre_user, cadre=world.cadre, activity=late)
    assert exc.value.code == "quarter_accepted" and "锁定" in exc.value.message
    assert not Attendance.objects.filter(activity=late).exists()
    contents = collect.quarter_contents(world.cadre, world.quarter)
    assert [row.activity.pk for row in contents.reports_missing] == [late.pk]
    assert [row.activity.pk for row in contents.outside_filing] == [late.pk]
    client.force_login(world.cadre_user)
    url = reverse("orglife:me") + f"?year={world.quarter.year}&quarter={world.quarter.number}"
    html = client.get(url).content.decode()
    assert 'id="outside-filing"' in html and "季度末组织生活会" in html
    row = html.split(f'id="meeting-{late.pk}"')[1].split('class="calendar-item"')[0]
    assert "未纳入季度报备" in row and "须填写报告单" in row and "记录纪实" not in row
    # The page's button posts anyway: a clear message, nothing created.
    response = client.post(reverse("orglife:attendance-start", args=[late.pk]), follow=True)
    assert any("锁定" in str(m) for m in response.context["messages"])
    assert not Attendance.objects.filter(activity=late).exists()


def test_pending_filing_refuses_new_material_and_says_to_ask_for_a_return(world):
    _filed(world, accept=None)
    late = _late_meeting(world)
    with pytest.raises(DomainError) as exc:
        services.start_attendance(actor=world.cadre_user, cadre=world.cadre, activity=late)
    assert exc.value.code == "quarter_pending" and "退回" in exc.value.message
    assert [
        row.activity.pk for row in collect.quarter_contents(world.cadre, world.quarter).outside_filing
    ] == [late.pk]


def test_create_report_checks_the_quarter_not_only_the_attached_filing(world):
    """A 纪实 left outside the filing (recorded before this check existed) gets no report while the
    quarter's filing awaits review, nor once it is accepted."""
    filing = _filed(world, accept=False)
    late = _late_meeting(world)
    attendance = services.start_attendance(actor=world.cadre_user, cadre=world.cadre, activity=late)
    QuarterlyFiling.objects.filter(pk=filing.pk).update(status="submitted")  # as the old code left it
    with pytest.raises(DomainError) as exc:
        services.create_report(actor=world.cadre_user, attendance=attendance)
    assert exc.value.code == "quarter_pending"
    services.review_filing(actor=world.committee_user, filing=filing, accept=True)
    with pytest.raises(DomainError) as exc:
        services.create_report(actor=world.cadre_user, attendance=attendance)
    assert exc.value.code == "quarter_accepted"
    assert not OrgLifeReport.objects.filter(attendance=attendance).exists()


def test_returned_filing_takes_the_late_meeting_and_the_refile_includes_it(world):
    filing = _filed(world, accept=False)
    late = _late_meeting(world)
    report = world.signed_report(late)
    assert collect.quarter_contents(world.cadre, world.quarter).outside_filing == []
    filing = services.resubmit_filing(actor=world.cadre_user, filing=filing,
                                      now=local(world.quarter.last_day + timedelta(days=2), 10))  # fmt: skip
    report.refresh_from_db()
    assert report.filing_id == filing.pk
    assert Attendance.objects.get(activity=late).filing_id == filing.pk
    assert late.title in [r["title"] for r in filing.contents["reports"]]
    contents = collect.quarter_contents(world.cadre, world.quarter)
    assert contents.reports_missing == [] and contents.outside_filing == []


# --- 2. no phone or ID number in the public summary ---------------------------------------------


def _draft(world):
    activity = world.own_meeting()
    attendance = services.start_attendance(actor=world.cadre_user, cadre=world.cadre, activity=activity)
    attendance = services.update_attendance(
        actor=world.cadre_user, attendance=attendance, outline_text="提纲"
    )
    return services.create_report(actor=world.cadre_user, attendance=attendance)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("联系人手机13700000300", "mobile"),
        ("手机 137 0000 0300", "mobile"),
        ("电话+86-137-0000-0300", "mobile"),
        ("手机１３７０００００３００", "mobile"),
        ("身份证530102196001010011", "id"),
        ("身份证 53010219600101001X", "id"),
        ("旧证530102600101001", "id"),
        ("电话0871-65123456", "phone"),
        ("联系电话：65123456", "phone"),
        ("热线400-123-4567", "phone"),
        ("2025年3月15日参加组织生活会，到会党员12人，作对照检查发言。", None),
        ("投入资金1000000元", None),
    ],
)
def test_personal_numbers(text, kind):
    assert personal_numbers(text) == kind


def test_public_summary_with_phone_or_id_is_refused(world):
    report = _draft(world)
    for text, word in ((f"联系人{world.secretary.name} 手机{world.secretary.mobile}", "手机号"),
                       (f"身份证{world.secretary.id_number}", "身份证号")):  # fmt: skip
        with pytest.raises(DomainError) as exc:
            services.update_report(actor=world.cadre_user, report=report, speech_summary="发言",
                                   public_summary=text)  # fmt: skip
        assert exc.value.field == "public_summary" and word in exc.value.message
    report.refresh_from_db()
    assert report.public_summary == "" and report.speech_summary != "发言"  # nothing half-written
    # A summary stored before the check is refused at submission.
    OrgLifeReport.objects.filter(pk=report.pk).update(public_summary=f"手机{world.secretary.mobile}",
                                                      speech_summary="发言")  # fmt: skip
    with pytest.raises(DomainError) as exc:
        services.submit_report(actor=world.cadre_user, report=report)
    assert exc.value.field == "public_summary"
    report.refresh_from_db()
    assert report.status == "draft"


def test_report_form_shows_the_refusal_on_the_field(world, client):
    report = _draft(world)
    client.force_login(world.cadre_user)
    response = client.post(reverse("orglife:report-edit", args=[report.pk]),
                           {"speech_summary": "发言", "public_summary": f"电话{world.secretary.mobile}"})  # fmt: skip
    assert response.status_code == 200
    assert "手机号" in " ".join(response.context["form"].errors["public_summary"])
    report.refresh_from_db()
    assert world.secretary.mobile not in report.public_summary


# --- 3. over-long comments are refused, not dropped ---------------------------------------------


@pytest.mark.parametrize("action", ["accept", "return"])
def test_overlong_review_comment_changes_nothing(world, client, action):
    world.signed_report(world.own_meeting())
    filing = services.submit_filing(actor=world.cadre_user, cadre=world.cadre, quarter=world.quarter,
                                    now=world.filing_time)  # fmt: skip
    client.force_login(world.committee_user)
    response = client.post(reverse("orglife:filing-action", args=[filing.pk, action]),
                           {"comment": "意见" * 1001}, follow=True)  # fmt: skip
    filing.refresh_from_db()
    assert filing.status == "submitted" and filing.review_comment == ""
    assert filing.events.count() == 1
    shown = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("意见有误，未办理") for m in shown), shown


@pytest.mark.parametrize("action", ["sign", "return"])
def test_overlong_signoff_comment_changes_nothing(world, client, action):
    report = _draft(world)
    report = services.update_report(actor=world.cadre_user, report=report, speech_summary="发言",
                                    public_summary="摘要")  # fmt: skip
    report = services.submit_report(actor=world.cadre_user, report=report)
    client.force_login(world.secretary_user)
    response = client.post(reverse("orglife:report-action", args=[report.pk, action]),
                           {"comment": "属实" * 1001}, follow=True)  # fmt: skip
    report.refresh_from_db()
    assert report.status == "submitted" and report.secretary_comment == "" and report.signed_at is None
    assert any(str(m).startswith("意见有误，未办理") for m in response.context["messages"])


# --- 4. missing pieces, returned count, audit trail ---------------------------------------------


def test_missing_pieces_from_the_records(world):
    bare = world.own_meeting(attendees=[world.secretary], record=False, title="无记录的组织生活会")
    attendance = services.start_attendance(actor=world.cadre_user, cadre=world.cadre, activity=bare)
    missing = documents.attendance_doc(attendance).missing
    assert {"签到记录", "会议照片", "发言提纲"} <= set(missing)
    assert any(piece.startswith("会议记录") for piece in missing)

    no_photo = world.own_meeting(offset=30, photos=0, title="无照片的组织生活会")
    attendance = services.start_attendance(actor=world.cadre_user, cadre=world.cadre, activity=no_photo)
    attendance = services.update_attendance(
        actor=world.cadre_user, attendance=attendance, outline_text="提纲"
    )
    assert documents.attendance_doc(attendance).missing == ["会议照片"]

    complete = world.own_meeting(offset=40, title="完整的组织生活会")
    attendance = services.start_attendance(actor=world.cadre_user, cadre=world.cadre, activity=complete)
    attendance = services.update_attendance(
        actor=world.cadre_user, attendance=attendance, outline_text="提纲"
    )
    assert documents.attendance_doc(attendance).missing == []


def test_overview_counts_a_returned_filing_on_the_page_and_the_api(world, client):
    world.signed_report(world.own_meeting())
    filing = services.submit_filing(actor=world.cadre_user, cadre=world.cadre, quarter=world.quarter,
                                    now=world.filing_time)  # fmt: skip
    services.review_filing(actor=world.committee_user, filing=filing, accept=False, comment="缺少照片")
    client.force_login(world.department_user)
    query = f"year={world.quarter.year}&quarter={world.quarter.number}"
    html = client.get(reverse("orglife:overview") + "?" + query).content.decode()
    stats = {
        k: int(re.search(rf'id="stat-{k}">(\d+)<', html).group(1)) for k in ("filed", "accepted", "returned")
    }
    assert stats == {"filed": 1, "accepted": 0, "returned": 1}
    data = client.get(f"/api/v1/orglife/overview?org={world.tree.district.pk}&{query}").json()
    assert (data["filed"], data["accepted"], data["returned"], data["pending_review"]) == (1, 0, 1, 0)


def test_audit_trail_of_the_whole_flow(world, client):
    activity = world.own_meeting()
    attendance = services.start_attendance(actor=world.cadre_user, cadre=world.cadre, activity=activity)
    attendance = services.update_attendance(
        actor=world.cadre_user, attendance=attendance, outline_text="提纲"
    )
    report = services.create_report(actor=world.cadre_user, attendance=attendance)
    report = services.update_report(actor=world.cadre_user, report=report, speech_summary="发言",
                                    public_summary="参加组织生活会并作对照检查发言。")  # fmt: skip
    report = services.submit_report(actor=world.cadre_user, report=report)
    report = services.return_report(actor=world.secretary_user, report=report, comment="请补充。")
    report = services.submit_report(actor=world.cadre_user, report=report)
    report = services.sign_off_report(actor=world.secretary_user, report=report)
    report = services.reopen_report(actor=world.cadre_user, report=report)
    report = services.submit_report(actor=world.cadre_user, report=report)
    report = services.sign_off_report(actor=world.secretary_user, report=report)
    filing = services.submit_filing(actor=world.cadre_user, cadre=world.cadre, quarter=world.quarter,
                                    now=world.filing_time)  # fmt: skip
    filing = services.review_filing(actor=world.committee_user, filing=filing, accept=False, comment="补充")
    filing = services.resubmit_filing(actor=world.cadre_user, filing=filing, now=world.filing_time)
    services.review_filing(actor=world.committee_user, filing=filing, accept=True)
    notice = PublicNotice.objects.get(report=report)
    objection = services.file_objection(token=notice.token, text="有意见", ip="192.0.2.1",
                                        started_at=notice.starts_at - timedelta(minutes=1))  # fmt: skip
    services.answer_objection(actor=world.department_user, objection=objection, outcome="unfounded",
                              response="经核查不属实。")  # fmt: skip
    client.force_login(world.department_user)
    export = reverse("orglife:overview-export") + f"?year={world.quarter.year}&quarter={world.quarter.number}"
    assert client.get(export).status_code == 200
    actions = set(AuditEntry.objects.filter(action__startswith="orglife.").values_list("action", flat=True))
    assert {
        "orglife.attendance.created",
        "orglife.report.returned",
        "orglife.report.reopened",
        "orglife.filing.resubmitted",
        "orglife.objection.filed",
        "orglife.objection.answered",
        "orglife.overview.exported",
    } <= actions


# --- 5. the export's 汇总 sheet -------------------------------------------------------------------


def test_export_has_a_summary_sheet(world, client):
    world.signed_report(world.own_meeting())
    services.submit_filing(
        actor=world.cadre_user, cadre=world.cadre, quarter=world.quarter, now=world.filing_time
    )
    client.force_login(world.department_user)
    url = reverse("orglife:overview-export") + f"?year={world.quarter.year}&quarter={world.quarter.number}"
    book = load_workbook(io.BytesIO(client.get(url).content))
    assert book.sheetnames == [world.quarter.code, "汇总"]
    assert [c.value for c in book[world.quarter.code][1]][0] == "姓名"
    totals = {row[0]: row[1] for row in book["汇总"].iter_rows(min_row=2, values_only=True)}
    assert totals["组织"] == world.tree.district.name
    assert totals["季度"] == world.quarter.label
    assert totals["应报备"] == 2  # the 区级领导 and the 乡科级 cadre
    assert (totals["已报备"], totals["已通过"], totals["已退回"], totals["待审核"]) == (1, 0, 0, 1)
    assert totals["逾期未报"] >= 0 and totals["待答复异议"] == 0
