"""Journey 1 (sign-in part): the property branch's 主题党日 in the "金领" center. 刘慧 registers on
her phone; on the day the room's screen shows a rotating code that refreshes itself; she signs in
with her own logged-in phone; a screenshot of the code forwarded a minute later fails; 杨志宇 sees
her on the sign-in sheet of the meeting record. Also the staff side: the room screen and a hand
check-in from the activity page."""

from __future__ import annotations

import time
from datetime import date

import pytest
from playwright.sync_api import expect

from dangqun.activities import rotating
from dangqun.activities.catalog import ensure_catalog
from dangqun.activities.models import Registration
from dangqun.activities.tests.factories import at, make_activity, make_member
from dangqun.core.models import RuleValue
from dangqun.testing.factories import PASSWORD, make_user
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 375, "height": 760}


@pytest.fixture(autouse=True)
def catalog(transactional_db):
    ensure_catalog()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_errors = []
    page.on("console", lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()


@pytest.fixture
def scene(tree):
    from dangqun.centers.models import ServiceCenter, Space

    center = ServiceCenter.objects.create(name="“金领”党群服务中心", slug="jinling", organization=tree.branch,
                                          org_path=tree.branch.path)  # fmt: skip
    library = Space.objects.create(center=center, name="党建图书馆", capacity=20)
    yang_user = make_user("yangzhiyu", display_name="杨志宇", grants=[(tree.branch, "secretary")])
    liu_user = make_user("liuhui", display_name="刘慧", grants=[(tree.branch, "member")])
    make_member(tree.branch, "杨志宇", post="支部书记", user=yang_user)
    make_member(tree.branch, "刘慧", user=liu_user)
    activity = make_activity(
        tree.branch, type_code="theme_day", title="11月主题党日：重温入党誓词", audience="public",
        starts=at(hours=0.5), space=library, place_text="", capacity=30,
    )  # fmt: skip
    # A short validity makes the screen's refresh visible within the test (production: 30 s).
    RuleValue.objects.create(
        key="activities.rotating.valid_seconds", value=4, effective_from=date(2000, 1, 1)
    )
    return activity


def test_liu_hui_signs_in_with_the_rotating_code_and_appears_on_the_sheet(browser, page, phone, live_server, scene,
                                                                        screenshot_dir):  # fmt: skip
    activity = scene
    # Her phone: the center's list of this month, the activity, registration from her account.
    login(phone, live_server, "liuhui", PASSWORD)
    phone.goto(f"{live_server.url}/activities/center/jinling/")
    phone.get_by_role("link", name="11月主题党日：重温入党誓词").click()
    expect(phone.locator("h1")).to_have_text("11月主题党日：重温入党誓词")
    phone.get_by_role("button", name="我要报名").click()
    expect(phone.locator("#pass-code")).to_be_visible()
    expect(phone.locator(".pass-qr svg")).to_be_visible()
    phone.screenshot(path=str(screenshot_dir / "activity_pass_phone.png"), full_page=True)
    registration = Registration.objects.get(activity=activity)
    assert registration.name == "刘慧" and registration.status == "confirmed"

    # The room's screen (the secretary's session): a QR that refreshes itself.
    login(page, live_server, "yangzhiyu", PASSWORD)
    page.goto(f"{live_server.url}/activities/{activity.pk}/screen/")
    qr = page.locator(".screen-qr")
    expect(qr.locator("svg")).to_be_visible()
    first_code = qr.get_attribute("data-code")
    expect(qr).not_to_have_attribute("data-code", first_code, timeout=8_000)
    page.screenshot(path=str(screenshot_dir / "activity_room_screen.png"), full_page=True)
    shown = qr.get_attribute("data-code")
    assert shown.startswith(f"{activity.pk}.")

    # She scans it with her own phone (the QR holds this URL) and confirms.
    phone.goto(f"{live_server.url}/activities/s/{shown}/")
    phone.get_by_role("button", name="确认签到").click()
    expect(phone.locator("[data-result]")).to_have_text("刘慧，签到成功")
    phone.screenshot(path=str(screenshot_dir / "activity_sign_in_phone.png"), full_page=True)
    registration.refresh_from_db()
    assert registration.checkin_method == "rotating" and registration.checked_in_at is not None

    # A screenshot of the code forwarded a minute later fails.
    forwarded = rotating.make(activity.pk, valid_seconds=4, now=time.time() - 60)[0]
    phone.goto(f"{live_server.url}/activities/s/{forwarded}/")
    expect(phone.locator("[data-result]")).to_have_attribute("data-result", "rotating_code_expired")
    expect(phone.locator("[data-result]")).to_contain_text("签到码已过期")

    # 杨志宇 sees her on the sign-in sheet of the meeting record.
    page.goto(f"{live_server.url}/activities/{activity.pk}/record/")
    page.get_by_role("button", name="开始填写会议记录").click()
    expect(page.locator("#present-total")).to_have_text("1")
    page.screenshot(path=str(screenshot_dir / "activity_record.png"), full_page=True)
    page.get_by_role("link", name="签到表").click()
    sheet = page.locator("#sign-in-sheet")
    expect(sheet).to_contain_text("刘慧")
    expect(sheet).to_contain_text("动态码自助签到")
    page.screenshot(path=str(screenshot_dir / "activity_sign_in_sheet.png"), full_page=True)
    assert page.console_errors == []
    # The phone's only console lines are the member's 403 on the staff workbench after login.
    assert [e for e in phone.console_errors if "403" not in e] == []


def test_secretary_checks_in_by_hand_at_the_door(page, live_server, scene, screenshot_dir):
    activity = scene
    from dangqun.activities.services.registrations import register_guest

    register_guest(activity=activity, name="王敏", mobile="13808712345")
    login(page, live_server, "yangzhiyu", PASSWORD)
    page.goto(f"{live_server.url}/activities/{activity.pk}/")
    table = page.locator("#registrations")
    expect(table).to_contain_text("138****2345")
    table.get_by_role("button", name="手工签到").click()
    expect(page.locator(".messages")).to_contain_text("王敏 已签到。")
    expect(table).to_contain_text("工作人员手工签到")
    # The activity holds its space: an accepted booking of the center's 党建图书馆 (issue 5).
    expect(page.locator("#space-booking")).to_contain_text("党建图书馆")
    expect(page.locator("#space-booking")).to_contain_text("已通过")
    page.screenshot(path=str(screenshot_dir / "activity_detail_staff.png"), full_page=True)
    assert page.console_errors == []
