"""Journey 2 (kiosk and phone part): the HR manager of 大华银行 taps 代办企业登记注册 on the lobby
kiosk, fills the short form, scans the kiosk's QR to follow the request on her phone; the kiosk goes
home by itself and nothing she typed stays on screen. Staff steps go through the service desk's
services (their pages belong to that app); she sees each public status and rates the result."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangqun.portal.tests.browser import PHONE, fresh_rate_limits, open_page  # noqa: F401 (autouse fixture)
from dangqun.portal.tests.builders import build_kiosk_device, build_place, build_wall
from dangqun.portal.tests.qrdecode import decode_svg
from dangqun.servicedesk import services
from dangqun.servicedesk.models import ServiceRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


NAME, MOBILE, UNIT = "周敏", "13629475810", "大华银行"
TEXT = "我行拟在招银大厦 16 层增设营业部，需要办理分支机构登记，请协助代办。"


@pytest.fixture
def kiosk(browser):
    page = open_page(browser, {"width": 1080, "height": 1920})
    yield page
    page.context.close()


@pytest.fixture
def phone(browser):
    page = open_page(browser, {"width": 360, "height": 740}, mobile=True)
    yield page
    page.context.close()


def _no_personal_data(page) -> None:
    html = page.content()
    for value in (NAME, MOBILE, UNIT, TEXT[:10]):
        assert value not in html
    values = page.eval_on_selector_all("input:not([type=hidden]), textarea", "els => els.map(e => e.value)")
    assert [v for v in values if v] == []


def test_enterprise_files_at_the_kiosk_and_follows_on_the_phone(
    kiosk, phone, live_server, tree, screenshot_dir
):
    place = build_place(tree)
    build_wall(place)
    device = build_kiosk_device(place)
    home = f"{live_server.url}/kiosk/jinling/"

    # Staff pair the lobby browser with the registered kiosk once.
    kiosk.goto(f"{home}pair/")
    kiosk.fill("#id_token", device.token)
    kiosk.get_by_role("button", name="登记").click()
    expect(kiosk.locator(".k-messages")).to_contain_text("本机已登记为“大厅办事通 1 号”。")
    expect(kiosk.locator(".k-foot")).to_contain_text("本机：大厅办事通 1 号")

    kiosk.goto(f"{home}?idle=6")
    expect(kiosk.locator("#k-h-today + .k-list")).to_contain_text("楼宇青年读书沙龙")
    expect(kiosk.locator(".k-panel-wall")).to_contain_text("想要一台收音机")
    kiosk.screenshot(path=str(screenshot_dir / "portal_kiosk_home_portrait.png"))
    targets = "Math.min(...Array.from(document.querySelectorAll('.k-tile, .k-row, .k-button, .k-wish, .k-home-link, .k-panel h2 a')).map(e => e.getBoundingClientRect().height))"
    assert kiosk.evaluate(targets) >= 64
    kiosk.get_by_role("link", name="代办企业登记注册").click()
    expect(kiosk.locator("h1")).to_have_text("代办企业登记注册")

    # A wrong mobile number is refused next to its field, in Chinese.
    kiosk.fill("#id_name", NAME)
    kiosk.fill("#id_mobile", "1362947")
    kiosk.fill("#id_unit", UNIT)
    kiosk.fill("#id_description", TEXT)
    kiosk.get_by_role("button", name="提交申请").click()
    expect(kiosk.locator("#f-mobile .f-message")).to_have_text("手机号格式不正确：1362947")
    kiosk.screenshot(path=str(screenshot_dir / "portal_kiosk_form_error.png"))
    kiosk.fill("#id_mobile", MOBILE)
    kiosk.get_by_role("button", name="提交申请").click()

    expect(kiosk.locator("h1")).to_have_text("申请已提交")
    request = ServiceRequest.objects.get()
    expect(kiosk.locator("#filed-number")).to_have_text(request.number)
    assert request.channel == "kiosk" and request.requester_name == NAME
    track_url = decode_svg(kiosk.locator("#track-qr").inner_html())
    assert track_url.startswith(f"{live_server.url}/m/r/")
    kiosk.screenshot(path=str(screenshot_dir / "portal_kiosk_filed.png"))

    # Nobody touches the kiosk: the countdown shows, then it is home again with nothing personal.
    expect(kiosk.locator("#k-idle")).to_be_visible(timeout=8_000)
    kiosk.screenshot(path=str(screenshot_dir / "portal_kiosk_countdown.png"))
    kiosk.wait_for_url(home, timeout=12_000)
    expect(kiosk.locator("#k-h-services")).to_be_visible()
    _no_personal_data(kiosk)
    kiosk.go_back()
    kiosk.wait_for_load_state()
    _no_personal_data(kiosk)

    # Her phone reads the QR.
    phone.goto(track_url)
    expect(phone.locator("#track-status")).to_have_text("已提交，等待受理")
    expect(phone.locator(".m-facts")).to_contain_text("周*")
    assert MOBILE not in phone.content()
    phone.screenshot(path=str(screenshot_dir / "portal_track_submitted_phone.png"), full_page=True)

    services.accept_request(actor=None, request=request)
    services.start_request(actor=None, request=request, expected_at=timezone.now() + timedelta(days=3))
    services.request_info(actor=None, request=request, note="请补充上传营业执照副本的照片。")
    phone.reload()
    expect(phone.locator("#track-status")).to_have_text("请补充材料")
    expect(phone.locator("#track-notes")).to_contain_text("请补充上传营业执照副本的照片。")
    phone.fill("#id_note", "营业执照副本原件明天送到前台。")
    phone.get_by_role("button", name="提交补充材料").click()
    expect(phone.locator(".m-messages")).to_contain_text("补充材料已提交")
    expect(phone.locator("#track-status")).to_have_text("办理中")

    services.resolve_request(actor=None, request=request, note="分支机构登记已办结，营业执照已送达。")
    phone.reload()
    expect(phone.locator("#track-status")).to_have_text("已办结，请评价")
    phone.get_by_text("非常满意").click()
    phone.fill("#id_comment", "服务很周到。")
    phone.screenshot(path=str(screenshot_dir / "portal_track_rate_phone.png"), full_page=True)
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.locator(".m-messages")).to_contain_text("感谢您的评价！")
    request.refresh_from_db()
    assert request.rating.score == 5
    # The only console line: the refused form's 400 answer.
    assert [e for e in kiosk.console_errors if "status of 400" not in e] == []
    assert phone.console_errors == []


def test_walking_away_mid_form_leaves_nothing_behind(kiosk, live_server, tree, screenshot_dir):
    build_place(tree)
    home = f"{live_server.url}/kiosk/jinling/"
    kiosk.goto(f"{home}?idle=3")
    # The home screen refreshes quietly: no countdown there.
    kiosk.wait_for_timeout(1_500)
    expect(kiosk.locator("#k-idle")).to_be_hidden()
    kiosk.get_by_role("link", name="政策咨询").click()
    # The shortened idle time follows the visitor from page to page (this tab only).
    kiosk.fill("#id_name", NAME)
    kiosk.fill("#id_mobile", MOBILE)
    kiosk.fill("#id_description", TEXT)
    expect(kiosk.locator("#k-idle")).to_be_visible(timeout=5_000)
    expect(kiosk.locator("#k-idle-seconds")).to_have_text(re.compile(r"^[123]$"))
    kiosk.wait_for_url(home, timeout=8_000)
    _no_personal_data(kiosk)
    # The form's page was replaced in the history: Back finds the screen before it.
    kiosk.go_back()
    kiosk.wait_for_load_state()
    _no_personal_data(kiosk)
