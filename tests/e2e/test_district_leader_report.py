"""Journey 5 (晋宁区): a 区级领导 documents the 组织生活会 of his branch and of his contact point, fills
both 报告单, which the branch secretaries sign off; files the quarter with the committee (copied to
the 区委组织部); once accepted, the report is posted (QR on the branch's board) with the
supervision phone; a resident objects; the department answers; at the end of the period the job
takes the notice down and the public URL says so.

The meetings and their sign-in come from the activities app's services (its pages are its own
journey); everything of orglife is done in the browser.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dangqun.core.models import RuleValue
from dangqun.orglife import jobs
from dangqun.orglife.models import Objection, PublicNotice, QuarterlyFiling
from dangqun.orglife.tests.factories import World
from dangqun.testing.factories import PASSWORD
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF_OUTLINE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def logout(page) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/accounts/login/**")


def _fill_report(page, *, summary: str, public: str) -> None:
    page.fill("#id_speech_summary", summary)
    page.fill("#id_criticism", "对班子成员提出批评意见 2 条，接受批评意见 1 条。")
    page.fill("#id_rectification", "一、每月开展一次调研；二、每季度到联系点参加一次组织生活。")
    page.fill("#id_public_summary", public)
    page.get_by_role("button", name="保存并提交支部书记签字").click()
    expect(page.locator("#report-status")).to_have_text("待支部书记签字")


def _sign(page, live_server, username: str) -> None:
    login(page, live_server, username, PASSWORD)
    page.locator("#nav-orglife").click()
    expect(page.locator("h1")).to_have_text("待签字的报告单")
    page.locator("#signoff-table").get_by_role("link", name="查看并签字").first.click()
    page.fill("#id_comment", "情况属实。")
    page.get_by_role("button", name="签字确认").click()
    expect(page.locator("#report-status")).to_have_text("支部书记已签字")
    expect(page.locator("#signature")).to_contain_text("签字：")
    logout(page)


def test_district_leader_reports_files_and_the_notice_comes_down(page, live_server, tree, screenshot_dir):
    from dangqun.activities.catalog import ensure_catalog

    ensure_catalog()
    # Rules are data: on-time filing whatever day the suite runs, and a short minimum fill time.
    RuleValue.objects.create(
        key="orglife.filing.due_days_after_end", value=120, effective_from=date(2000, 1, 1)
    )
    world = World.build(tree)
    world.contact_point()
    own = world.own_meeting()
    contact = world.contact_meeting()
    quarter = world.quarter
    shots = screenshot_dir

    # 1. The 区级领导 sees last quarter's meetings at his branch and at his contact point.
    login(page, live_server, "cadre", PASSWORD)
    page.locator("#nav-orglife").click()
    expect(page.locator("h1")).to_have_text("我的组织生活")
    expect(page.locator("#unfiled")).to_contain_text(f"{quarter.label}尚未报备")
    page.goto(f"{live_server.url}{reverse('orglife:me')}?year={quarter.year}&quarter={quarter.number}")
    expect(page.locator(".calendar-item")).to_have_count(2)
    expect(page.locator(f"#meeting-{contact.pk}")).to_contain_text("联系点")
    expect(page.locator(f"#meeting-{own.pk}")).to_contain_text("已签到")
    page.screenshot(path=str(shots / "orglife_my_quarter.png"), full_page=True)

    # 2. 纪实 of his own branch's meeting: sign-in and photo from the record; outline written and uploaded.
    page.locator(f"#meeting-{own.pk}").get_by_role("button", name="记录纪实").click()
    expect(page.locator("h1")).to_have_text("组织生活纪实")
    expect(page.locator("#sign-in")).to_contain_text("纸质签到表补录")
    expect(page.locator("#missing")).to_contain_text("发言提纲")
    page.fill("#id_outline_text", "一、学习体会\n二、查摆问题\n三、整改措施")
    page.get_by_role("button", name="保存纪实").click()
    expect(page.locator(".messages")).to_contain_text("纪实已保存。")
    expect(page.locator("#missing")).to_contain_text("纪实齐全。")
    page.set_input_files("#id_outline_file", files=[{"name": "发言提纲.pdf", "mimeType": "application/pdf",
                                                     "buffer": PDF_OUTLINE}])  # fmt: skip
    page.get_by_role("button", name="上传文件", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("发言提纲已上传。")
    page.screenshot(path=str(shots / "orglife_jishi.png"), full_page=True)
    page.get_by_role("button", name="填写报告单").click()
    expect(page.locator("h1")).to_have_text("填写报告单")
    expect(page.locator("#id_speech_summary")).to_have_value("一、学习体会\n二、查摆问题\n三、整改措施")
    expect(page.locator("#id_host_name")).to_have_count(0)  # a fact from the record, not editable
    _fill_report(
        page,
        summary="以普通党员身份参加，作对照检查发言。",
        public="以普通党员身份参加组织生活会并作对照检查发言。",
    )
    page.screenshot(path=str(shots / "orglife_report.png"), full_page=True)

    # 3. The contact point's meeting: outline and the guidance he gave.
    page.goto(f"{live_server.url}{reverse('orglife:me')}?year={quarter.year}&quarter={quarter.number}")
    page.locator(f"#meeting-{contact.pk}").get_by_role("button", name="记录纪实").click()
    page.fill("#id_outline_text", "联系点交流发言提纲")
    page.fill("#id_guidance", "指导支部规范“三会一课”记录。")
    page.get_by_role("button", name="保存纪实").click()
    page.get_by_role("button", name="填写报告单").click()
    _fill_report(
        page,
        summary="到联系点参加组织生活会并交流发言。",
        public="到联系点参加组织生活会，指导规范“三会一课”。",
    )
    logout(page)

    # 4. Each branch secretary signs the report of the meeting held in their branch.
    _sign(page, live_server, "secretary")
    _sign(page, live_server, "contactsec")

    # 5. At quarter's end he files the quarter: one filing, to the committee, copied to the department.
    login(page, live_server, "cadre", PASSWORD)
    page.goto(
        f"{live_server.url}{reverse('orglife:filing-new')}?year={quarter.year}&quarter={quarter.number}"
    )
    expect(page.locator("#jishi-table tbody tr")).to_have_count(2)
    expect(page.locator("#reports-missing")).to_have_count(0)
    page.screenshot(path=str(shots / "orglife_filing_new.png"), full_page=True)
    page.get_by_role("button", name="确认报备").click()
    expect(page.locator("#filing-status")).to_have_text("已报备待审核")
    expect(page.locator("#filing-committee")).to_have_text("顺城社区党委")
    expect(page.locator("#filing-copy")).to_have_text("五华区委组织部")
    logout(page)

    # 6. The committee accepts it: it is locked and the 区级领导's reports are posted.
    login(page, live_server, "committee", PASSWORD)
    page.locator("#nav-orglife").click()
    page.get_by_role("link", name="季度报备").click()
    page.locator("#to-review").get_by_role("link", name="王建国").click()
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator("#filing-status")).to_have_text("已审核通过")
    expect(page.locator(".page-sub")).to_contain_text("已锁定")
    logout(page)
    assert QuarterlyFiling.objects.get().status == "accepted"

    # 7. The department's overview; the notice's poster with the QR for the branch's board.
    login(page, live_server, "department", PASSWORD)
    page.locator("#nav-orglife").click()
    expect(page.locator("#stat-accepted")).to_have_text("1")
    page.screenshot(path=str(shots / "orglife_overview.png"), full_page=True)
    page.get_by_role("link", name="公示", exact=True).click()
    expect(page.locator("#notice-table tbody tr")).to_have_count(2)
    page.locator("#notice-table").get_by_role("link").first.click()
    expect(page.locator("#notice-state")).to_have_text("公示中")
    page.get_by_role("link", name="打印公示栏二维码").click()
    expect(page.locator("#poster svg")).to_be_visible()
    expect(page.locator("#poster")).to_contain_text("监督电话：12380")
    page.screenshot(path=str(shots / "orglife_poster.png"), full_page=True)
    logout(page)

    # 8. A resident scans the QR: the minimum fields, the period, the phone; an anonymous objection.
    notice = PublicNotice.objects.get(report__attendance__activity=own)
    public_url = f"{live_server.url}{reverse('orglife:public', args=[notice.token])}"
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(public_url)
    expect(page.locator("#notice-name")).to_have_text("王建国")
    expect(page.locator("#supervision-phone")).to_have_text("12380")
    expect(page.locator("#public-notice")).not_to_contain_text(world.cadre.mobile)
    expect(page.locator("#notice-period")).to_contain_text("公示期：")
    page.screenshot(path=str(shots / "orglife_public_notice.png"), full_page=True)
    page.fill("#id_text", "<script>alert(1)</script>该同志上季度组织生活会是否全程参加？")
    page.wait_for_timeout(3200)  # the minimum fill time (3 s) keeps bots out
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#receipt-status")).to_have_text("待答复")
    receipt_url = page.url
    page.screenshot(path=str(shots / "orglife_receipt.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 860})

    # 9. The department answers it from its queue; the resident reads the answer on the receipt.
    login(page, live_server, "department", PASSWORD)
    page.goto(f"{live_server.url}{reverse('orglife:objections')}")
    page.locator("#objection-table").get_by_role("link").first.click()
    expect(page.locator("#objection-text")).to_have_text(
        "<script>alert(1)</script>该同志上季度组织生活会是否全程参加？"
    )
    page.select_option("#id_outcome", "unfounded")
    page.fill("#id_response", "经核查签到记录和会议照片，该同志全程参加。")
    page.get_by_role("button", name="提交答复").click()
    expect(page.locator("#objection-status")).to_have_text("已答复")
    page.screenshot(path=str(shots / "orglife_objection_answered.png"), full_page=True)
    logout(page)
    page.goto(receipt_url)
    expect(page.locator("#receipt-response")).to_have_text("经核查签到记录和会议照片，该同志全程参加。")
    assert Objection.objects.get().status == "answered"

    # 10. Seven days on, the job takes the notices down (frozen clock); the public URL says so.
    assert notice.ends_at - notice.starts_at == timedelta(days=7)
    assert jobs.take_down_notices(notice.ends_at) == 2
    response = page.goto(public_url)
    assert response.status == 410
    expect(page.locator("#notice-gone h1")).to_have_text("公示已结束")
    expect(page.locator("body")).not_to_contain_text("王建国")
    page.screenshot(path=str(shots / "orglife_notice_gone.png"), full_page=True)
    login(page, live_server, "department", PASSWORD)
    page.goto(f"{live_server.url}{reverse('orglife:notices')}")
    expect(page.locator("#notice-table")).to_contain_text("已撤下")
    assert re.search(r"/orglife/p/r/[\w-]+/$", receipt_url)
    # The browser logs the deliberate 410 of the taken-down notice, and the 403 of the staff
    # workbench where the login lands the cadre (a member without a staff role); nothing else.
    expected = ("status of 410", "status of 403")
    assert [e for e in page.console_errors if not any(x in e for x in expected)] == []
