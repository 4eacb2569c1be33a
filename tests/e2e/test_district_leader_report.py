"""Journey 5 (晋宁区), on the demo data: the 区级领导 of 区委办公室党支部 (login jn_leader) attends this
quarter's 组织生活会 of his own branch and of his contact point (教育体育局机关党支部, a branch meeting
he is invited to because the department assigned it to him), signing in at each by scanning the
room screen's rotating code with his phone; he documents both (纪实: sign-in and photo from the
record, speech outline written and attached, the guidance given at the contact point), fills both
报告单, which the two branch secretaries sign off (the signed report as a page and as an A4 PDF);
files the quarter with 区直属机关工委, copied to 区委组织部; the 工委 accepts it; the report is
posted (poster with QR for the branch board, supervision phone); a resident files an anonymous
objection; 区委组织部 (login jinning) answers it; seven days on, the job takes the notice down
(frozen clock) and the public URL says so, while the archive keeps it.

The meetings are created and recorded through the activities app's services (its pages are its own
journeys); the room screen, the phone sign-in and everything of orglife are done in the browser.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dangqun.activities.models import Invitation
from dangqun.activities.services.activities import create_activity, finish_activity
from dangqun.activities.services.records import (
    add_attachment,
    review_record,
    start_record,
    submit_record,
    update_record,
)
from dangqun.core.models import RuleValue
from dangqun.orglife import jobs
from dangqun.orglife.models import Attendance, Objection, OrgLifeReport, PublicNotice, QuarterlyFiling
from dangqun.orglife.quarters import Quarter
from dangqun.orglife.tests.factories import photo_bytes
from dangqun.orgs.models import Organization
from dangqun.people.models import Person
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = settings.DEMO_PASSWORD
PDF_OUTLINE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OBJECTION = "<script>alert(1)</script>该同志本季度组织生活会是否全程参加？"


def log_in_as(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    login(page, live_server, username, PASSWORD)
    page.console_errors.clear()  # the workbench answers 403 to logins without a staff role


def _meeting(org: Organization, title: str):
    """This quarter's 组织生活会 of a branch, under way now (a branch meeting: audience the branch)."""
    starts = timezone.now() - timedelta(minutes=10)
    activity = create_activity(
        actor=None, organization=org, activity_type="org_life_meeting", title=title, place_text="机关党员活动室",
        starts_at=starts, ends_at=starts + timedelta(hours=2), audience="branch", rotating_checkin=True,
        publish=True, description="对照党章党规，开展批评与自我批评。",
    )  # fmt: skip
    return activity


def _hold_and_record(activity, host: Person) -> None:
    """The secretary closes the meeting and files its record with a photo (activities services)."""
    activity = finish_activity(actor=None, activity=activity, now=timezone.now() + timedelta(hours=3))
    record = start_record(actor=None, activity=activity)
    update_record(actor=None, record=record, host=host, recorder_name="办公室秘书",
                  plan="一、学习党章；二、对照检查；三、批评与自我批评；四、整改措施。",
                  minutes="党员逐一对照检查，开展批评与自我批评，明确整改措施。")  # fmt: skip
    add_attachment(actor=None, record=record, kind="photo", name="组织生活会.jpg", data=photo_bytes(7),
                   caption="组织生活会现场")  # fmt: skip
    review_record(actor=None, record=submit_record(actor=None, record=record), approve=True)


def _sign_in_by_screen(page, phone, live_server, secretary: str, activity, leader_name: str, shots, name):
    """The branch secretary's room screen shows the rotating QR; the leader's phone opens it."""
    log_in_as(page, live_server, secretary)
    page.goto(f"{live_server.url}/activities/{activity.pk}/screen/")
    qr = page.locator(".screen-qr")
    expect(qr.locator("svg")).to_be_visible()
    code = qr.get_attribute("data-code")
    assert code.startswith(f"{activity.pk}.")
    page.screenshot(path=str(shots / f"orglife_j5_{name}_screen.png"), full_page=True)
    phone.goto(f"{live_server.url}/activities/s/{code}/")
    phone.get_by_role("button", name="确认签到").click()
    expect(phone.locator("[data-result]")).to_have_text(f"{leader_name}，签到成功")
    phone.screenshot(path=str(shots / f"orglife_j5_{name}_phone.png"), full_page=True)


def _fill_report(page, *, summary: str, public: str) -> None:
    page.fill("#id_speech_summary", summary)
    page.fill("#id_criticism", "对班子成员提出批评意见 2 条，接受批评意见 1 条。")
    page.fill("#id_rectification", "一、每月开展一次调研；二、每季度到联系点参加一次组织生活。")
    page.fill("#id_public_summary", public)
    page.get_by_role("button", name="保存并提交支部书记签字").click()
    expect(page.locator("#report-status")).to_have_text("待支部书记签字")


def _sign(page, live_server, username: str, report: OrgLifeReport) -> None:
    log_in_as(page, live_server, username)
    page.locator("#nav-orglife").click()
    expect(page.locator("h1")).to_have_text("待签字的报告单")
    expect(page.locator("#signoff-table tbody tr")).to_have_count(1)
    page.locator("#signoff-table").get_by_role("link", name="查看并签字").click()
    expect(page).to_have_url(re.compile(rf"/orglife/reports/{report.pk}/$"))
    page.fill("#id_comment", "情况属实。")
    page.get_by_role("button", name="签字确认").click()
    expect(page.locator("#report-status")).to_have_text("支部书记已签字")
    expect(page.locator("#signature")).to_contain_text("签字：")


def test_journey_5_district_leader_on_the_demo_data(browser, page, live_server, screenshot_dir):
    call_command("load_demo", "--small", stdout=StringIO())
    shots = screenshot_dir
    quarter = Quarter.of(timezone.localdate())
    # Rules are data: this quarter may be filed today (the window opens 15 days before its end).
    RuleValue.objects.create(
        key="orglife.filing.opens_days_before_end", value=100, effective_from=date(2000, 1, 1)
    )
    orgs = {o.name: o for o in Organization.objects.filter(name__startswith="晋宁区")}
    office, edu = orgs["晋宁区委办公室党支部"], orgs["晋宁区教育体育局机关党支部"]
    leader = Person.objects.get(user__username="jn_leader")
    office_secretary = Person.objects.get(user__username="jn_office_sec")
    edu_secretary = Person.objects.get(user__username="jn_edu_sec")
    own = _meeting(office, f"{quarter.label}组织生活会")
    contact = _meeting(edu, f"{quarter.label}组织生活会（联系点）")
    # Published while the contact point is assigned: the leader is invited to the branch meeting.
    assert Invitation.objects.filter(activity=contact, person=leader, reason="基层党建联系点").exists()
    assert not Invitation.objects.filter(activity=own).exists()  # his own branch: a member anyway

    # 1. He signs in at both meetings: the secretary's room screen, his phone.
    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    phone = phone_context.new_page()
    phone.set_default_timeout(10_000)
    login(phone, live_server, "jn_leader", PASSWORD)
    _sign_in_by_screen(page, phone, live_server, "jn_office_sec", own, leader.name, shots, "own")
    _sign_in_by_screen(page, phone, live_server, "jn_edu_sec", contact, leader.name, shots, "contact")
    phone_context.close()
    _hold_and_record(own, office_secretary)
    _hold_and_record(contact, edu_secretary)

    # 2. His calendar of the quarter: both meetings, signed in, one at the contact point.
    log_in_as(page, live_server, "jn_leader")
    page.goto(f"{live_server.url}{reverse('orglife:me')}?year={quarter.year}&quarter={quarter.number}")
    expect(page.locator("h1")).to_have_text("我的组织生活")
    expect(page.locator(f"#meeting-{own.pk}")).to_contain_text("已签到")
    expect(page.locator(f"#meeting-{contact.pk}")).to_contain_text("联系点")
    expect(page.locator(f"#meeting-{contact.pk}")).to_contain_text("已签到")
    page.screenshot(path=str(shots / "orglife_j5_my_quarter.png"), full_page=True)

    # 3. 纪实 of his own branch's meeting: sign-in (rotating code) and photo from the record.
    page.locator(f"#meeting-{own.pk}").get_by_role("button", name="记录纪实").click()
    expect(page.locator("h1")).to_have_text("组织生活纪实")
    expect(page.locator("#sign-in")).to_contain_text("动态码自助签到")
    expect(page.locator(".photo-list")).to_contain_text("组织生活会现场")
    expect(page.locator("#missing")).to_contain_text("发言提纲")
    page.fill("#id_outline_text", "一、学习体会\n二、查摆问题\n三、整改措施")
    page.get_by_role("button", name="保存纪实").click()
    expect(page.locator(".messages")).to_contain_text("纪实已保存。")
    expect(page.locator("#missing")).to_contain_text("纪实齐全。")
    page.set_input_files("#id_outline_file", files=[{"name": "发言提纲.pdf", "mimeType": "application/pdf",
                                                     "buffer": PDF_OUTLINE}])  # fmt: skip
    page.get_by_role("button", name="上传文件", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("发言提纲已上传。")
    page.screenshot(path=str(shots / "orglife_j5_jishi_own.png"), full_page=True)
    page.get_by_role("button", name="填写报告单").click()
    expect(page.locator("h1")).to_have_text("填写报告单")
    expect(page.locator("#id_host_name")).to_have_count(0)  # a fact from the record, not editable
    _fill_report(page, summary="以普通党员身份参加，作对照检查发言。",
                 public="以普通党员身份参加组织生活会并作对照检查发言。")  # fmt: skip

    # 4. The contact point's meeting: the same sign-in from the scan log; outline and guidance.
    page.goto(f"{live_server.url}{reverse('orglife:me')}?year={quarter.year}&quarter={quarter.number}")
    page.locator(f"#meeting-{contact.pk}").get_by_role("button", name="记录纪实").click()
    expect(page.locator("#sign-in")).to_contain_text("动态码自助签到")
    expect(page.locator("#missing")).to_contain_text("指导联系点情况")
    page.fill("#id_outline_text", "联系点交流发言提纲")
    page.fill("#id_guidance", "指导支部规范“三会一课”记录。")
    page.get_by_role("button", name="保存纪实").click()
    expect(page.locator("#missing")).to_contain_text("纪实齐全。")
    page.screenshot(path=str(shots / "orglife_j5_jishi_contact.png"), full_page=True)
    page.get_by_role("button", name="填写报告单").click()
    _fill_report(page, summary="到联系点参加组织生活会并交流发言。",
                 public="到联系点参加组织生活会，指导规范“三会一课”。")  # fmt: skip
    attendance = Attendance.objects.get(cadre=leader, activity=contact)
    assert attendance.role == "contact" and attendance.contact_point.branch == edu

    # 5. Each branch secretary signs the report of the meeting held in their branch.
    own_report = OrgLifeReport.objects.get(cadre=leader, activity=own)
    contact_report = OrgLifeReport.objects.get(cadre=leader, activity=contact)
    _sign(page, live_server, "jn_office_sec", own_report)
    page.screenshot(path=str(shots / "orglife_j5_report_signed.png"), full_page=True)
    # The first PDF of a fresh machine may build the derived font (about 15 s; orglife.fonts).
    pdf_url = f"{live_server.url}{reverse('orglife:report-pdf', args=[own_report.pk])}"
    pdf = page.request.get(pdf_url, timeout=90_000)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
    (shots / "orglife_j5_report.pdf").write_bytes(pdf.body())
    _sign(page, live_server, "jn_edu_sec", contact_report)

    # 6. He files the quarter: one filing with 区直属机关工委, copied to 区委组织部.
    log_in_as(page, live_server, "jn_leader")
    page.goto(
        f"{live_server.url}{reverse('orglife:filing-new')}?year={quarter.year}&quarter={quarter.number}"
    )
    expect(page.locator("#jishi-table tbody tr")).to_have_count(2)
    expect(page.locator("#reports-missing")).to_have_count(0)
    page.screenshot(path=str(shots / "orglife_j5_filing_new.png"), full_page=True)
    page.get_by_role("button", name="确认报备").click()
    expect(page.locator("#filing-status")).to_have_text("已报备待审核")
    expect(page.locator("#filing-committee")).to_have_text("晋宁区直属机关工作委员会")
    expect(page.locator("#filing-copy")).to_have_text("晋宁区委组织部")
    filing = QuarterlyFiling.objects.get(cadre=leader, year=quarter.year, quarter=quarter.number)

    # 7. The 工委 accepts it: locked, and the 区级领导's two reports are posted.
    log_in_as(page, live_server, "jn_organs")
    page.locator("#nav-orglife").click()
    page.get_by_role("link", name="季度报备").click()
    page.goto(f"{live_server.url}{reverse('orglife:filing', args=[filing.pk])}")
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator("#filing-status")).to_have_text("已审核通过")
    expect(page.locator(".page-sub")).to_contain_text("已锁定")
    page.screenshot(path=str(shots / "orglife_j5_filing_accepted.png"), full_page=True)
    notice = PublicNotice.objects.get(report=own_report)
    assert PublicNotice.objects.filter(report=contact_report).exists()
    assert notice.ends_at - notice.starts_at == timedelta(days=7)
    assert notice.branch == office  # posted in his own branch

    # 8. 区委组织部: the quarter's overview; the notice's poster with the QR for the branch board.
    log_in_as(page, live_server, "jinning")
    page.goto(f"{live_server.url}{reverse('orglife:overview')}?year={quarter.year}&quarter={quarter.number}")
    expect(page.locator("#stat-accepted")).to_have_text("1")
    page.screenshot(path=str(shots / "orglife_j5_overview.png"), full_page=True)
    page.goto(f"{live_server.url}{reverse('orglife:notice', args=[notice.pk])}")
    expect(page.locator("#notice-state")).to_have_text("公示中")
    page.get_by_role("link", name="打印公示栏二维码").click()
    expect(page.locator("#poster svg")).to_be_visible()
    expect(page.locator("#poster")).to_contain_text("监督电话：12380")
    page.screenshot(path=str(shots / "orglife_j5_poster.png"), full_page=True)

    # 9. A resident scans the QR: the minimum fields, the period, the phone; an anonymous objection.
    page.context.clear_cookies()
    public_url = f"{live_server.url}{reverse('orglife:public', args=[notice.token])}"
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(public_url)
    expect(page.locator("#notice-name")).to_have_text(leader.name)
    expect(page.locator("#supervision-phone")).to_have_text("12380")
    expect(page.locator("#public-notice")).not_to_contain_text(leader.mobile)
    if leader.id_number:
        expect(page.locator("#public-notice")).not_to_contain_text(leader.id_number)
    expect(page.locator("#notice-period")).to_contain_text("公示期：")
    page.screenshot(path=str(shots / "orglife_j5_public_notice.png"), full_page=True)
    page.fill("#id_text", OBJECTION)
    page.wait_for_timeout(3200)  # the minimum fill time (3 s) keeps bots out
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#receipt-status")).to_have_text("待答复")
    receipt_url = page.url
    assert re.search(r"/orglife/p/r/[\w-]+/$", receipt_url)
    page.screenshot(path=str(shots / "orglife_j5_receipt.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 860})
    objection = Objection.objects.get(notice=notice)
    assert objection.is_anonymous and objection.queue_path == orgs["晋宁区委组织部"].path

    # 10. 区委组织部 answers it from its queue; the resident reads the answer on the receipt.
    log_in_as(page, live_server, "jinning")
    page.goto(f"{live_server.url}{reverse('orglife:objections')}")
    expect(page.locator("#objection-table")).to_contain_text(leader.name)
    page.goto(f"{live_server.url}{reverse('orglife:objection', args=[objection.pk])}")
    expect(page.locator("#objection-text")).to_have_text(OBJECTION)
    page.select_option("#id_outcome", "unfounded")
    page.fill("#id_response", "经核查签到记录和会议照片，该同志全程参加。")
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator("#objection-status")).to_have_text("已答复")
    page.screenshot(path=str(shots / "orglife_j5_objection_answered.png"), full_page=True)
    page.context.clear_cookies()
    page.goto(receipt_url)
    expect(page.locator("#receipt-response")).to_have_text("经核查签到记录和会议照片，该同志全程参加。")

    # 11. Seven days on, the job takes the notices down (frozen clock); the public URL says so.
    assert jobs.take_down_notices(notice.ends_at) >= 2
    notice.refresh_from_db()
    assert notice.status == "taken_down"
    response = page.goto(public_url)
    assert response.status == 410
    expect(page.locator("#notice-gone h1")).to_have_text("公示已结束")
    expect(page.locator("body")).not_to_contain_text(leader.name)
    page.screenshot(path=str(shots / "orglife_j5_notice_gone.png"), full_page=True)
    log_in_as(page, live_server, "jinning")
    page.goto(f"{live_server.url}{reverse('orglife:notice', args=[notice.pk])}")
    expect(page.locator("#notice-state")).to_have_text("已撤下")
    # Only the deliberate 410 of the taken-down notice is logged by the browser.
    assert [e for e in page.console_errors if "status of 410" not in e] == []
