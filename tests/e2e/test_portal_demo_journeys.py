"""JOURNEYS.md 2 end to end on the demo data, every step in a browser: the lobby kiosk (paired from
the staff device page reached from the center page), the requester's phone at 360 px, the staff
pages of the "金领" center, and an Open311 client reading the same request. (Journey 4 on the demo
data: test_portal_wishes.py; journey 3: test_shared_room_booking.py.)"""

from __future__ import annotations

import json
import urllib.request
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from dangqun.centers.models import ServiceCenter
from dangqun.portal.tests.browser import PHONE, fresh_rate_limits, open_page  # noqa: F401 (autouse fixture)
from dangqun.portal.tests.qrdecode import decode_svg
from dangqun.servicedesk.models import ServiceRequest
from tests.e2e.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


NAME, MOBILE, UNIT = "周敏", "13629475810", "大华银行昆明分行"
TEXT = "我行拟在招银大厦 16 层增设营业部，需要办理分支机构登记，请协助代办。"


@pytest.fixture
def demo(db):
    call_command("load_demo", "--small", stdout=StringIO())
    return ServiceCenter.objects.get(slug="jinling")


@pytest.fixture
def pages(browser):
    made = {
        "kiosk": open_page(browser, {"width": 1080, "height": 1920}),
        "phone": open_page(browser, PHONE, mobile=True),
        "staff": open_page(browser, {"width": 1280, "height": 900}),
    }
    yield made
    for page in made.values():
        page.context.close()


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the live test server
        return json.loads(response.read())


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_journey_2_an_enterprise_asks_for_help_at_the_kiosk(demo, pages, live_server, screenshot_dir):
    kiosk, phone, staff = pages["kiosk"], pages["phone"], pages["staff"]
    home = f"{live_server.url}/kiosk/jinling/"

    # The organization's admin registers the lobby screen from the center page; the token shows once.
    login(staff, live_server, "orgadmin", settings.DEMO_PASSWORD)
    staff.goto(f"{live_server.url}/centers/{demo.pk}/")
    expect(staff.locator("#center-access")).to_contain_text("办事通大屏页面")
    staff.locator("#center-devices").click()
    staff.fill("#id_name", "招银大厦大厅办事通")
    expect(staff.locator("#id_kind")).to_have_value("kiosk")  # preselected from the center page
    staff.get_by_role("button", name="登记并生成令牌").click()
    token = staff.locator("#device-token-value").inner_text().strip()
    expect(staff.locator("#device-token")).to_contain_text("/kiosk/jinling/pair/")
    staff.screenshot(path=str(screenshot_dir / "accounts_devices_token.png"), full_page=True)
    staff.reload()
    assert token not in staff.content()
    staff.context.clear_cookies()

    kiosk.goto(f"{home}pair/")
    kiosk.fill("#id_token", token)
    kiosk.get_by_role("button", name="登记").click()
    expect(kiosk.locator(".k-foot")).to_contain_text("本机：招银大厦大厅办事通")

    # She taps 代办企业登记注册 and fills the short form.
    kiosk.goto(f"{home}?idle=6")
    kiosk.get_by_role("link", name="代办企业登记注册").click()
    kiosk.fill("#id_name", NAME)
    kiosk.fill("#id_mobile", MOBILE)
    kiosk.fill("#id_unit", UNIT)
    kiosk.fill("#id_description", TEXT)
    kiosk.get_by_role("button", name="提交申请").click()
    expect(kiosk.locator("h1")).to_have_text("申请已提交")
    number = kiosk.locator("#filed-number").inner_text()
    request = ServiceRequest.objects.select_related("device").get(pk=int(number))
    assert request.channel == "kiosk" and request.device.name == "招银大厦大厅办事通"
    track_url = decode_svg(kiosk.locator("#track-qr").inner_html())

    # Nobody touches the kiosk: home again by itself, nothing she typed left on screen.
    kiosk.wait_for_url(home, timeout=15_000)
    html = kiosk.content()
    assert all(value not in html for value in (NAME, MOBILE, UNIT, TEXT[:10]))

    # Her phone follows the kiosk's QR.
    phone.goto(track_url)
    expect(phone.locator("#track-status")).to_have_text("已提交，等待受理")
    _fits(phone)

    # Center staff accept, assign, start with an expected date, ask for a missing document.
    login(staff, live_server, "centerstaff", settings.DEMO_PASSWORD)
    staff.goto(f"{live_server.url}/servicedesk/requests/{request.pk}/")
    expect(staff.locator("#request-device")).to_have_text("设备：招银大厦大厅办事通")
    staff.locator("#action-accept").get_by_role("button", name="受理").click()
    expect(staff.locator("#request-state")).to_have_text("已受理")
    handler = staff.locator("#id_assign-handler option").nth(1).get_attribute("value")
    staff.select_option("#id_assign-handler", handler)
    staff.locator("#action-assign").get_by_role("button", name="分派").click()
    expect(staff.locator("#request-handler")).not_to_have_text("—")
    staff.fill("#id_start-expected_at", "2030-03-06T17:00")
    staff.locator("#action-start").get_by_role("button", name="开始办理").click()
    staff.fill("#id_request_info-note", "请补充总行出具的分支机构设立授权书（复印件加盖公章）。")
    staff.locator("#action-request_info").get_by_role("button", name="请申请人补充材料").click()
    expect(staff.locator("#request-public-status")).to_have_text("请补充材料")

    phone.reload()
    expect(phone.locator("#track-status")).to_have_text("请补充材料")
    expect(phone.locator("#track-notes")).to_contain_text("分支机构设立授权书")
    expect(phone.locator("#track-expected")).to_have_text("2030年3月6日")
    phone.fill("#id_note", "授权书明天上午送到一楼前台。")
    phone.get_by_role("button", name="提交补充材料").click()
    expect(phone.locator("#track-status")).to_have_text("办理中")

    staff.reload()
    staff.fill("#id_resolve-note", "分支机构登记已办结，营业执照请到一楼服务台领取。")
    staff.locator("#action-resolve").get_by_role("button", name="办结").click()
    expect(staff.locator("#request-public-status")).to_have_text("已办结，请评价")

    phone.reload()
    expect(phone.locator("#track-status")).to_have_text("已办结，请评价")
    phone.get_by_text("非常满意").click()
    phone.fill("#id_comment", "办事效率很高，谢谢！")
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.locator(".m-messages")).to_contain_text("感谢您的评价！")
    phone.screenshot(path=str(screenshot_dir / "journey2_demo_rated_phone.png"), full_page=True)

    # The same request, seen by an Open311 client.
    shown = _get_json(f"{live_server.url}/open311/v2/requests/{number}.json")[0]
    assert (shown["service_code"], shown["status"]) == ("jinling-registration", "closed")
    assert shown["status_notes"] == "分支机构登记已办结，营业执照请到一楼服务台领取。"
    assert MOBILE not in json.dumps(shown)
    for page in (phone, staff):
        assert page.console_errors == []
