"""Journey 1 (phone part): 刘慧 scans the QR on the lobby board, lands on the 金领 center's mobile
page at 360 px, logs in as a member (the branch's 主题党日 shows to its members only), finds this
month's 主题党日 of the property branch and registers on the canonical activity page
(/activities/p/<pk>/), which carries schema.org Event data; the browser reports no CSP violation."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from dangqun.activities.models import Registration
from dangqun.portal import qr
from dangqun.portal.tests.browser import PHONE, fresh_rate_limits, open_page  # noqa: F401 (autouse fixture)
from dangqun.portal.tests.builders import build_place, build_wall
from dangqun.testing.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The smallest height of anything one taps on the page.
TAP_HEIGHTS = """Math.min(...Array.from(document.querySelectorAll(
  'main a.m-row, main a.m-tile, main .m-button, main a.m-quick-item, main a.m-slot, main .m-call, .m-back'
)).map(el => el.getBoundingClientRect().height))"""


@pytest.fixture
def phone(browser):
    page = open_page(browser, PHONE, mobile=True)
    yield page
    page.context.close()


def test_liu_hui_registers_for_the_theme_day_from_the_lobby_qr(phone, live_server, tree, screenshot_dir):
    place = build_place(tree)
    build_wall(place)
    center_url = f"{live_server.url}/m/c/jinling/"

    # The board's QR holds exactly the center page's address.
    phone.goto(f"{live_server.url}/m/c/jinling/board/")
    board_qr = phone.request.get(f"{live_server.url}/m/qr/center/jinling.svg")
    assert board_qr.text() == qr.svg_document(center_url)
    phone.screenshot(path=str(screenshot_dir / "portal_board_phone.png"), full_page=True)

    phone.goto(center_url)
    expect(phone.locator("h1")).to_have_text("“金领”党群服务中心")
    expect(phone.locator("#services")).to_contain_text("代办企业登记注册")
    # A stranger sees the public activities; the branch's 主题党日 is for its members.
    expect(phone.locator("#activities")).to_contain_text("楼宇青年读书沙龙")
    expect(phone.locator("#activities")).not_to_contain_text("主题党日")
    phone.screenshot(path=str(screenshot_dir / "portal_center_phone.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Large text that follows the browser's setting, and big tap targets.
    assert phone.evaluate("getComputedStyle(document.body).fontSize") == "18px"
    assert phone.evaluate(TAP_HEIGHTS) >= 48

    phone.get_by_role("link", name="党员请登录，查看并报名本支部的组织生活").click()
    phone.fill("#id_login", "liuhui")
    phone.fill("#id_password", PASSWORD)
    phone.click("#main button[type=submit]")
    phone.wait_for_url(center_url)
    today = phone.locator("#activities .m-list").first
    expect(today).to_contain_text("主题党日：学习贯彻党的二十届四中全会精神")
    expect(today).to_contain_text("世邦魏理仕物业昆明分公司党支部")
    phone.screenshot(path=str(screenshot_dir / "portal_center_member_phone.png"), full_page=True)

    # The center page opens the canonical activity page (the activities app's).
    today.get_by_text("主题党日：学习贯彻党的二十届四中全会精神").click()
    phone.wait_for_url(f"{live_server.url}/activities/p/{place.theme_day.pk}/")
    expect(phone.locator("h1")).to_have_text("主题党日：学习贯彻党的二十届四中全会精神")
    data = json.loads(phone.locator("script[type='application/ld+json']").text_content())
    assert data["@type"] == "Event" and data["name"] == place.theme_day.title
    assert data["organizer"]["name"] == "世邦魏理仕物业昆明分公司党支部"
    phone.screenshot(path=str(screenshot_dir / "portal_activity_phone.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.get_by_role("button", name="我要报名").click()

    # Her pass: the QR she shows at the door.
    expect(phone.locator("#pass .pass-qr svg")).to_be_visible()
    expect(phone.locator("#pass")).to_contain_text("刘慧")
    phone.screenshot(path=str(screenshot_dir / "portal_activity_registered_phone.png"), full_page=True)
    # An old link to the portal's activity page still lands on the canonical one.
    phone.goto(f"{live_server.url}/m/a/{place.theme_day.pk}/")
    phone.wait_for_url(f"{live_server.url}/activities/p/{place.theme_day.pk}/")
    registration = Registration.objects.get(activity=place.theme_day)
    assert registration.person_id == place.liu.pk and registration.status == "confirmed"
    assert [e for e in phone.console_errors if "Content Security Policy" in e] == []
    assert phone.console_errors == []
